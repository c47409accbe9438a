using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>
/// Applies several linear maps that read the same input with one matmul over their concatenated weights: one wide GEMM runs
/// closer to peak than several narrow ones, forward and backward. The weights stay separate parameters (checkpoint names).
/// </summary>
internal static class FusedProjection
{
    /// <summary>One output chunk per map, in order (views into one tensor).</summary>
    public static Tensor[] Apply(Tensor input, params Linear[] maps)
    {
        var weight = cat(maps.Select(m => m.weight!).ToArray(), 0);
        var bias = maps[0].bias is null ? null : cat(maps.Select(m => m.bias!).ToArray(), 0);
        return nn.functional.linear(input, weight, bias).chunk(maps.Length, -1);
    }
}
