using Microsoft.ML.PromptTuning.Backbones.Bert;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>A BERT-style masked language model: encoder plus an MLM head that can be evaluated at chosen positions only.</summary>
public abstract class MaskedLanguageModel : LanguageModel
{
    private protected MaskedLanguageModel(string name, BertConfig config) : base(name)
    {
        Config = config;
    }

    /// <summary>The model's configuration.</summary>
    public BertConfig Config { get; }

    public override string ModelType => Config.ModelType;
    public override int HiddenSize => Config.HiddenSize;
    public override int VocabularySize => Config.VocabSize;
    public override int MaxSequenceLength => Config.MaxSequenceLength;
    public override int FfnLayerCount => Config.NumHiddenLayers;
    public override int FfnSize => Config.IntermediateSize;

    /// <summary>Embeddings and encoder.</summary>
    private protected abstract BertModel Body { get; }

    public override System.Text.Json.Nodes.JsonObject ToConfigJson() => Config.ToJson();

    public override Tensor EmbedTokens(Tensor inputIds) => Body.embeddings.EmbedTokens(inputIds);

    /// <summary>The word-embedding matrix <c>[vocab, hidden]</c>.</summary>
    public Tensor WordEmbeddings => Body.embeddings.WordEmbeddingWeight;

    /// <summary>
    /// Encodes <paramref name="inputsEmbeds"/> <c>[batch, tokens, hidden]</c> (the soft-prompt path; positions as transformers
    /// assigns them for <c>inputs_embeds</c>). With <paramref name="outputPositions"/> <c>[batch, K]</c> only those rows of the
    /// last layer are computed: <c>[batch, K, hidden]</c>; otherwise <c>[batch, tokens, hidden]</c>.
    /// </summary>
    public Tensor Encode(Tensor inputsEmbeds, Tensor attentionMask, Tensor? outputPositions = null, FfnActivationRecorder? recorder = null)
    {
        long length = inputsEmbeds.shape[1];
        CheckLength(length);
        using var positionIds = SequentialPositionIds(length, inputsEmbeds.device);
        return Body.forward(inputsEmbeds, positionIds, attentionMask, outputPositions, recorder);
    }

    /// <summary>Encodes token ids <c>[batch, tokens]</c> (positions as transformers assigns them for <c>input_ids</c>).</summary>
    public Tensor EncodeTokens(Tensor inputIds, Tensor attentionMask, Tensor? outputPositions = null, FfnActivationRecorder? recorder = null)
    {
        CheckLength(inputIds.shape[1]);
        using var scope = NewDisposeScope();
        var positionIds = TokenPositionIds(inputIds);
        var embeds = EmbedTokens(inputIds);
        return Body.forward(embeds, positionIds, attentionMask, outputPositions, recorder).MoveToOuterDisposeScope();
    }

    /// <summary>MLM logits <c>[..., vocab]</c> for encoder states <c>[..., hidden]</c>.</summary>
    public abstract Tensor PredictTokens(Tensor hidden);

    /// <summary>
    /// MLM logits at <paramref name="positions"/> <c>[batch, K]</c> only: <c>[batch, K, vocab]</c>. The last layer and the LM head
    /// run just for those rows, which is what prompt tuning reads.
    /// </summary>
    public Tensor PredictAt(Tensor inputsEmbeds, Tensor attentionMask, Tensor positions, FfnActivationRecorder? recorder = null)
    {
        using var hidden = Encode(inputsEmbeds, attentionMask, positions, recorder);
        return PredictTokens(hidden);
    }

    /// <summary>Position ids <c>[1, tokens]</c> for <c>inputs_embeds</c>.</summary>
    private protected abstract Tensor SequentialPositionIds(long length, Device device);

    /// <summary>Position ids <c>[batch, tokens]</c> for <c>input_ids</c>.</summary>
    private protected abstract Tensor TokenPositionIds(Tensor inputIds);
}
