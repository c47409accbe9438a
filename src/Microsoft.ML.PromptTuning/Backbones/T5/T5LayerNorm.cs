using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>T5's RMS layer norm: scale only, no mean subtraction and no bias.</summary>
public sealed class T5LayerNorm : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Parameter weight;
#pragma warning restore IDE1006
    private readonly double _eps;

    internal T5LayerNorm(int size, double eps) : base(nameof(T5LayerNorm))
    {
        weight = nn.Parameter(ones(size));
        _eps = eps;
        RegisterComponents();
    }

    /// <summary><c>x · rsqrt(mean(x²) + eps) · weight</c> over the last dimension.</summary>
    public Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var eps = _eps.ToScalar();   // held until the operations return: see RootedScalars
        var variance = x.square().mean(new long[] { -1 }, keepdim: true);
        return (x * rsqrt(variance.add(eps, RootedScalars.One)) * weight).MoveToOuterDisposeScope();
    }
}
