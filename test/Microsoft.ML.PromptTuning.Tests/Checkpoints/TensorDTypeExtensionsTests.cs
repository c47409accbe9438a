using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

[TestClass]
public sealed class TensorDTypeExtensionsTests
{
    [TestMethod]
    public void ToScalarType_EveryDType_RoundTripsAndMatchesTorchElementSize()
    {
        foreach (TensorDType dtype in Enum.GetValues<TensorDType>())
        {
            torch.ScalarType scalarType = dtype.ToScalarType();
            Assert.AreEqual(dtype, scalarType.ToTensorDType());
            using var probe = torch.empty(1, dtype: scalarType);
            Assert.AreEqual(probe.element_size(), dtype.ElementSize(), dtype.ToString());
        }
    }

    [TestMethod]
    [DataRow("F32", TensorDType.F32)]
    [DataRow("BF16", TensorDType.BF16)]
    [DataRow("BOOL", TensorDType.Bool)]
    [DataRow("U8", TensorDType.U8)]
    public void TryParseSafeTensorsName_SpecName_ParsesAndFormatsBack(string name, TensorDType expected)
    {
        Assert.IsTrue(TensorDTypeExtensions.TryParseSafeTensorsName(name, out TensorDType dtype));
        Assert.AreEqual(expected, dtype);
        Assert.AreEqual(name, dtype.ToSafeTensorsName());
    }

    [TestMethod]
    [DataRow("Bool")]
    [DataRow("f32")]
    [DataRow("F8_E5M2")]
    public void TryParseSafeTensorsName_NonSpecName_ReturnsFalse(string name)
    {
        Assert.IsFalse(TensorDTypeExtensions.TryParseSafeTensorsName(name, out _));
    }
}
