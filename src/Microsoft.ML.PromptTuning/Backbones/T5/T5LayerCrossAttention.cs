using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>Pre-norm encoder-decoder attention sub-layer with residual (HF decoder <c>layer.1</c>).</summary>
public sealed class T5LayerCrossAttention : nn.Module
{
#pragma warning disable IDE1006
    internal readonly T5Attention EncDecAttention;
    internal readonly T5LayerNorm layer_norm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    internal T5LayerCrossAttention(T5Config config) : base(nameof(T5LayerCrossAttention))
    {
        EncDecAttention = new T5Attention(config, hasRelativeAttentionBias: false);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    public Tensor forward(Tensor hidden, Tensor encoderHidden, Tensor encoderMask)
    {
        using var scope = NewDisposeScope();
        var attended = EncDecAttention.forward(layer_norm.forward(hidden), encoderHidden, encoderMask);
        return hidden.add(nn.functional.dropout(attended, _dropout, training), RootedScalars.One).MoveToOuterDisposeScope();
    }
}
