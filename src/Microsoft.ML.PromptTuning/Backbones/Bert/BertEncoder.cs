using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>The stack of encoder layers (HF <c>encoder.layer.N</c>).</summary>
public sealed class BertEncoder : nn.Module
{
#pragma warning disable IDE1006
    internal readonly ModuleList<BertLayer> layer;
#pragma warning restore IDE1006

    internal BertEncoder(BertConfig config) : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    /// <summary>
    /// Encodes <paramref name="hidden"/> <c>[batch, tokens, hidden]</c>. With <paramref name="outputPositions"/> <c>[batch, K]</c>
    /// the last layer computes only those positions and the result is <c>[batch, K, hidden]</c>.
    /// </summary>
    public Tensor forward(Tensor hidden, Tensor mask, Tensor? outputPositions = null, FfnActivationRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        // The recorder reads the last layer's FFN at its own positions: only skip work when those are the output positions.
        bool gatherInLastLayer = outputPositions is not null && (recorder is null || ReferenceEquals(recorder.Positions, outputPositions));
        var current = hidden;
        for (int i = 0; i < layer.Count; i++)
        {
            bool last = i == layer.Count - 1;
            current = layer[i].forward(current, mask, last && gatherInLastLayer ? outputPositions : null, recorder);
        }
        if (outputPositions is not null && !gatherInLastLayer)
            current = Positional.Gather(current, outputPositions);
        return current.MoveToOuterDisposeScope();
    }
}
