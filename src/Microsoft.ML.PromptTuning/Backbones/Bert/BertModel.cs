using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>Embeddings and encoder of BERT/RoBERTa (HF <c>bert.*</c> / <c>roberta.*</c>; the unused pooler is left out).</summary>
public sealed class BertModel : nn.Module
{
#pragma warning disable IDE1006
    internal readonly BertEmbeddings embeddings;
    internal readonly BertEncoder encoder;
#pragma warning restore IDE1006

    internal BertModel(BertConfig config) : base(nameof(BertModel))
    {
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        RegisterComponents();
    }

    /// <summary>Number of encoder layers.</summary>
    public int LayerCount => encoder.layer.Count;

    /// <summary>
    /// Encodes <paramref name="inputsEmbeds"/> <c>[batch, tokens, hidden]</c> at <paramref name="positionIds"/> with an
    /// <paramref name="attentionMask"/> <c>[batch, tokens]</c> (1 = token, 0 = padding).
    /// </summary>
    public Tensor forward(Tensor inputsEmbeds, Tensor positionIds, Tensor attentionMask, Tensor? outputPositions, FfnActivationRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var hidden = embeddings.forward(inputsEmbeds, positionIds);
        var mask = Positional.AdditiveMask(attentionMask, hidden.dtype);
        return encoder.forward(hidden, mask, outputPositions, recorder).MoveToOuterDisposeScope();
    }
}
