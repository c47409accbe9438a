using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>Small indexing helpers shared by the backbones.</summary>
internal static class Positional
{
    /// <summary>Rows of <paramref name="values"/> <c>[batch, tokens, d]</c> at <paramref name="positions"/> <c>[batch, K]</c> → <c>[batch, K, d]</c>.</summary>
    public static Tensor Gather(Tensor values, Tensor positions)
    {
        long width = values.shape[2];
        using var index = positions.unsqueeze(-1).expand(positions.shape[0], positions.shape[1], width);
        return values.gather(1, index);
    }

    /// <summary>An additive attention mask <c>[batch, 1, 1, tokens]</c>: 0 where <paramref name="mask"/> is 1, the dtype's minimum where 0.</summary>
    public static Tensor AdditiveMask(Tensor mask, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        // No implicit scalars (see RootedScalars): 1 − mask of a 0/1 mask is its logical negation.
        using var minimum = (dtype == ScalarType.Float16 ? -65504.0 : float.MinValue).ToScalar();
        var inverted = mask.logical_not().to(dtype);
        return inverted.unsqueeze(1).unsqueeze(1).mul(minimum).MoveToOuterDisposeScope();
    }
}
