using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>BERT masked LM (HF <c>BertForMaskedLM</c>): <c>bert.*</c> and <c>cls.predictions.*</c>.</summary>
public sealed class BertForMaskedLM : MaskedLanguageModel
{
#pragma warning disable IDE1006
    internal readonly BertModel bert;
    internal readonly BertOnlyMLMHead cls;
#pragma warning restore IDE1006

    private static readonly Dictionary<string, string[]> TiedKeys = new()
    {
        ["bert.embeddings.word_embeddings.weight"] = ["cls.predictions.decoder.weight"],
        ["cls.predictions.bias"] = ["cls.predictions.decoder.bias"],
    };

    /// <summary>Builds a randomly initialised model; load weights with <see cref="Checkpoints.StateDictLoader"/>.</summary>
    public BertForMaskedLM(BertConfig config) : base(nameof(BertForMaskedLM), config)
    {
        if (config.IsRoberta)
            throw new ArgumentException("Use RobertaForMaskedLM for model_type 'roberta'.", nameof(config));
        bert = new BertModel(config);
        cls = new BertOnlyMLMHead(config);
        RegisterComponents();
    }

    private protected override BertModel Body => bert;
    internal override IReadOnlyDictionary<string, string[]> TiedCopies => TiedKeys;
    internal override string BaseModelPrefix => "bert.";

    public override Tensor PredictTokens(Tensor hidden) => cls.forward(hidden, WordEmbeddings);

    private protected override Tensor SequentialPositionIds(long length, Device device) =>
        ScalarSafeOps.Range(0, length, device).unsqueeze(0);

    private protected override Tensor TokenPositionIds(Tensor inputIds) => SequentialPositionIds(inputIds.shape[1], inputIds.device);
}
