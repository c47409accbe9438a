using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>Pre-norm self-attention sub-layer with residual (HF <c>layer.0</c>).</summary>
public sealed class T5LayerSelfAttention : nn.Module
{
#pragma warning disable IDE1006
    internal readonly T5Attention SelfAttention;
    internal readonly T5LayerNorm layer_norm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    internal T5LayerSelfAttention(T5Config config, bool hasRelativeAttentionBias) : base(nameof(T5LayerSelfAttention))
    {
        SelfAttention = new T5Attention(config, hasRelativeAttentionBias);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    public Tensor forward(Tensor hidden, Tensor bias)
    {
        using var scope = NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        var attended = SelfAttention.forward(normed, normed, bias);
        return hidden.add(nn.functional.dropout(attended, _dropout, training), RootedScalars.One).MoveToOuterDisposeScope();
    }
}
