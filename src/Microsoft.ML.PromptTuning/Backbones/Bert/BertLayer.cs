using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>One transformer encoder layer: attention then FFN, each with a post-LayerNorm residual.</summary>
public sealed class BertLayer : nn.Module
{
#pragma warning disable IDE1006
    internal readonly BertAttention attention;
    internal readonly BertIntermediate intermediate;
    internal readonly BertResidualOutput output;
#pragma warning restore IDE1006

    internal BertLayer(BertConfig config) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>
    /// Runs the layer over <paramref name="hidden"/> <c>[batch, tokens, hidden]</c>. With <paramref name="outputPositions"/>
    /// <c>[batch, K]</c> only those positions are computed (keys and values still use every token): <c>[batch, K, hidden]</c>;
    /// a <paramref name="recorder"/> then must record at those same positions.
    /// </summary>
    public Tensor forward(Tensor hidden, Tensor mask, Tensor? outputPositions = null, FfnActivationRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        var queries = outputPositions is null ? hidden : Positional.Gather(hidden, outputPositions);
        var attended = attention.forward(hidden, queries, mask);
        var activated = intermediate.forward(attended);
        recorder?.Record(activated, alreadyAtPositions: outputPositions is not null);
        return output.forward(activated, attended).MoveToOuterDisposeScope();
    }
}
