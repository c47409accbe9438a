using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>RoBERTa masked LM (HF <c>RobertaForMaskedLM</c>): <c>roberta.*</c> and <c>lm_head.*</c>; positions start after the padding id.</summary>
public sealed class RobertaForMaskedLM : MaskedLanguageModel
{
#pragma warning disable IDE1006
    internal readonly BertModel roberta;
    internal readonly RobertaLMHead lm_head;
#pragma warning restore IDE1006

    private static readonly Dictionary<string, string[]> TiedKeys = new()
    {
        ["roberta.embeddings.word_embeddings.weight"] = ["lm_head.decoder.weight"],
        ["lm_head.bias"] = ["lm_head.decoder.bias"],
    };

    /// <summary>Builds a randomly initialised model; load weights with <see cref="Checkpoints.StateDictLoader"/>.</summary>
    public RobertaForMaskedLM(BertConfig config) : base(nameof(RobertaForMaskedLM), config)
    {
        if (!config.IsRoberta)
            throw new ArgumentException("Use BertForMaskedLM for model_type 'bert'.", nameof(config));
        roberta = new BertModel(config);
        lm_head = new RobertaLMHead(config);
        RegisterComponents();
    }

    private protected override BertModel Body => roberta;
    internal override IReadOnlyDictionary<string, string[]> TiedCopies => TiedKeys;
    internal override string BaseModelPrefix => "roberta.";

    public override Tensor PredictTokens(Tensor hidden) => lm_head.forward(hidden, WordEmbeddings);

    // transformers numbers inputs_embeds positions padding_idx + 1, padding_idx + 2, ... whatever the padding.
    private protected override Tensor SequentialPositionIds(long length, Device device)
    {
        long first = Config.PadTokenId + 1;
        return ScalarSafeOps.Range(first, first + length, device).unsqueeze(0);
    }

    // For input_ids, padding tokens keep position padding_idx and real tokens count from padding_idx + 1.
    private protected override Tensor TokenPositionIds(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var isToken = inputIds.NotEqualTo(Config.PadTokenId).to(ScalarType.Int64);
        return (isToken.cumsum(1) * isToken).Plus((long)Config.PadTokenId).MoveToOuterDisposeScope();
    }
}
