using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>The T5 encoder or decoder stack (HF <c>encoder.*</c> / <c>decoder.*</c>); token embeddings are shared and passed in.</summary>
public sealed class T5Stack : nn.Module
{
#pragma warning disable IDE1006
    internal readonly ModuleList<T5Block> block;
    internal readonly T5LayerNorm final_layer_norm;
#pragma warning restore IDE1006
    private readonly bool _isDecoder;
    private readonly double _dropout;

    internal T5Stack(T5Config config, bool isDecoder) : base(nameof(T5Stack))
    {
        int layers = isDecoder ? config.NumDecoderLayers : config.NumLayers;
        block = nn.ModuleList(Enumerable.Range(0, layers).Select(i => new T5Block(config, isDecoder, hasRelativeAttentionBias: i == 0)).ToArray());
        final_layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        _isDecoder = isDecoder;
        _dropout = config.DropoutRate;
        RegisterComponents();
    }

    /// <summary>Number of blocks.</summary>
    public int LayerCount => block.Count;

    /// <summary>
    /// Runs the stack over <paramref name="inputsEmbeds"/> <c>[batch, T, d_model]</c>. The encoder takes its padding
    /// <paramref name="attentionMask"/> <c>[batch, T]</c>; the decoder is causal and attends over <paramref name="encoderHidden"/>.
    /// </summary>
    public Tensor forward(Tensor inputsEmbeds, Tensor? attentionMask, Tensor? encoderHidden = null, Tensor? encoderMask = null, FfnActivationRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        long length = inputsEmbeds.shape[1];
        var dtype = inputsEmbeds.dtype;
        // The first block's relative position table gives the bias every block of the stack reuses.
        var bias = block[0].SelfAttentionLayer.SelfAttention.PositionBias(length, length, bidirectional: !_isDecoder, inputsEmbeds.device).to(dtype);
        if (_isDecoder)
            bias = bias.add(CausalMask(length, dtype, inputsEmbeds.device), RootedScalars.One);
        if (attentionMask is not null)
            bias = bias.add(Positional.AdditiveMask(attentionMask, dtype), RootedScalars.One);
        var crossMask = encoderMask is null ? null : Positional.AdditiveMask(encoderMask, dtype);

        var hidden = nn.functional.dropout(inputsEmbeds, _dropout, training);
        foreach (var b in block)
            hidden = b.forward(hidden, bias, encoderHidden, crossMask, recorder);
        return nn.functional.dropout(final_layer_norm.forward(hidden), _dropout, training).MoveToOuterDisposeScope();
    }

    private static Tensor CausalMask(long length, ScalarType dtype, Device device)
    {
        using var ones = torch.ones(length, length, dtype: ScalarType.Bool, device: device);
        using var future = ones.triu(1);
        using var minimum = float.MinValue.ToScalar();   // held until masked_fill returns: see RootedScalars
        return zeros(length, length, dtype: dtype, device: device).masked_fill(future, minimum).unsqueeze(0).unsqueeze(0);
    }
}
