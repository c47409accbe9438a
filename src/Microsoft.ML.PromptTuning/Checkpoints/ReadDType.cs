using TorchSharp;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>The one rule every reader applies to the <c>dtype</c> argument of <see cref="ITensorReader.Read"/>.</summary>
internal static class ReadDType
{
    /// <summary>
    /// The type to return for a tensor stored as <paramref name="stored"/>: the stored type when <paramref name="requested"/>
    /// is null, or is floating-point while the tensor is not (token ids stay integers); otherwise <paramref name="requested"/>.
    /// </summary>
    public static torch.ScalarType Resolve(TensorDType stored, torch.ScalarType? requested)
    {
        if (requested is not { } target)
            return stored.ToScalarType();
        if (torch.is_floating_point(target) && !stored.IsFloatingPoint())
            return stored.ToScalarType();
        return target;
    }

    /// <summary>Converts <paramref name="tensor"/> to <paramref name="target"/>, disposing the original when a copy was made.</summary>
    public static torch.Tensor ConvertOwned(torch.Tensor tensor, torch.ScalarType target)
    {
        if (tensor.dtype == target)
            return tensor;
        try
        {
            return tensor.to(target);
        }
        finally
        {
            tensor.Dispose();
        }
    }
}
