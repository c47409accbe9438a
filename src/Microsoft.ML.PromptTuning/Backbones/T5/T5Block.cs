using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>One T5 block: self-attention, cross-attention (decoder only) and FFN sub-layers (HF <c>block.N.layer.M</c>).</summary>
public sealed class T5Block : nn.Module
{
#pragma warning disable IDE1006
    internal readonly ModuleList<nn.Module> layer;
#pragma warning restore IDE1006

    internal T5Block(T5Config config, bool isDecoder, bool hasRelativeAttentionBias) : base(nameof(T5Block))
    {
        var layers = new List<nn.Module> { new T5LayerSelfAttention(config, hasRelativeAttentionBias) };
        if (isDecoder)
            layers.Add(new T5LayerCrossAttention(config));
        layers.Add(new T5LayerFF(config));
        layer = nn.ModuleList(layers.ToArray());
        RegisterComponents();
    }

    internal T5LayerSelfAttention SelfAttentionLayer => (T5LayerSelfAttention)layer[0];

    /// <summary>
    /// Runs the block over <paramref name="hidden"/> <c>[batch, T, d_model]</c> with the self-attention <paramref name="bias"/>;
    /// decoder blocks also attend over <paramref name="encoderHidden"/> with <paramref name="encoderMask"/>.
    /// </summary>
    public Tensor forward(Tensor hidden, Tensor bias, Tensor? encoderHidden, Tensor? encoderMask, FfnActivationRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var current = SelfAttentionLayer.forward(hidden, bias);
        if (layer.Count == 3)
            current = ((T5LayerCrossAttention)layer[1]).forward(current, encoderHidden!, encoderMask!);
        return ((T5LayerFF)layer[^1]).forward(current, recorder).MoveToOuterDisposeScope();
    }
}
