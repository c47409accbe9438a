using Microsoft.ML.PromptTuning.MLNet;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.MLNet;

[TestClass]
public sealed class DeviceSelectionTests
{
    [TestMethod]
    public void Select_NoGpuRequested_ReturnsCpu()
    {
        Assert.AreEqual(DeviceType.CPU, DeviceSelection.Select(new MLContext(seed: 1)).type);
    }

    [TestMethod]
    public void Select_GpuRequestedWithoutCudaAndNoFallback_ThrowsSayingWhatToChange()
    {
        if (torch.cuda.is_available())
            Assert.Inconclusive("This check needs a machine without CUDA.");
        var context = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = false };
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => DeviceSelection.Select(context));
        StringAssert.Contains(error.Message, "GpuDeviceId is 0");
        StringAssert.Contains(error.Message, "FallbackToCpu");
    }

    [TestMethod]
    public void Select_GpuRequestedWithoutCudaWithFallback_ReturnsCpuAndLogsAWarning()
    {
        if (torch.cuda.is_available())
            Assert.Inconclusive("This check needs a machine without CUDA.");
        var context = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = true };
        var messages = new List<string>();
        context.Log += (_, e) => messages.Add(e.Message);
        Assert.AreEqual(DeviceType.CPU, DeviceSelection.Select(context).type);
        Assert.IsTrue(messages.Any(m => m.Contains("falling back to the CPU")), string.Join("\n", messages));
    }
}
