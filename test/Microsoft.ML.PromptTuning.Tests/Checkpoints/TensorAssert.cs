using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>Assertions on whole tensors: same dtype, same shape and bit-identical values (NaNs included).</summary>
internal static class TensorAssert
{
    public static void AreEqual(torch.Tensor expected, torch.Tensor actual, string? because = null)
    {
        string context = because is null ? "" : $" ({because})";
        Assert.AreEqual(expected.dtype, actual.dtype, "dtype" + context);
        CollectionAssert.AreEqual(expected.shape, actual.shape, "shape" + context);
        using torch.Tensor expectedDense = expected.contiguous();
        using torch.Tensor actualDense = actual.contiguous();
        Assert.IsTrue(expectedDense.bytes.SequenceEqual(actualDense.bytes), "values" + context);
    }
}
