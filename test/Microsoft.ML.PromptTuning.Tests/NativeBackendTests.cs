using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests;

[TestClass]
public sealed class NativeBackendTests
{
    [TestMethod]
    public void Torch_LoadsNativeBackend_ComputesMatmul()
    {
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var product = a.matmul(a.t());
        CollectionAssert.AreEqual(new float[] { 5, 14, 14, 50 }, product.data<float>().ToArray());
    }
}
