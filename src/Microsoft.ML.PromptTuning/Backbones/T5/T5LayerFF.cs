using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>Pre-norm FFN sub-layer with residual (HF <c>layer.1</c> in the encoder, <c>layer.2</c> in the decoder).</summary>
public sealed class T5LayerFF : nn.Module
{
#pragma warning disable IDE1006
    /// <summary>Either FFN variant: both live under the state-dict name <c>DenseReluDense</c>.</summary>
    internal readonly nn.Module DenseReluDense;
    internal readonly T5LayerNorm layer_norm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    internal T5LayerFF(T5Config config) : base(nameof(T5LayerFF))
    {
        DenseReluDense = config.IsGated ? new T5DenseGatedActDense(config) : new T5DenseActDense(config);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    public Tensor forward(Tensor hidden, FfnActivationRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        var transformed = DenseReluDense switch
        {
            T5DenseGatedActDense gated => gated.forward(normed, recorder),
            T5DenseActDense plain => plain.forward(normed, recorder),
            _ => throw new InvalidOperationException("Unknown T5 feed-forward module."),
        };
        return hidden.add(nn.functional.dropout(transformed, _dropout, training), RootedScalars.One).MoveToOuterDisposeScope();
    }
}
