using System.Text.Json.Nodes;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>The <c>config.json</c> of a BERT or RoBERTa masked language model.</summary>
public sealed record BertConfig
{
    /// <summary><c>bert</c> or <c>roberta</c>: decides position ids, state-dict prefix and head names.</summary>
    public string ModelType { get; init; } = "roberta";
    public int VocabSize { get; init; } = 50265;
    public int HiddenSize { get; init; } = 768;
    public int NumHiddenLayers { get; init; } = 12;
    public int NumAttentionHeads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 3072;
    public string HiddenAct { get; init; } = "gelu";
    public int MaxPositionEmbeddings { get; init; } = 514;
    public int TypeVocabSize { get; init; } = 1;
    public double LayerNormEps { get; init; } = 1e-5;
    public int PadTokenId { get; init; } = 1;
    public int BosTokenId { get; init; } = 0;
    public int EosTokenId { get; init; } = 2;
    public double HiddenDropoutProb { get; init; } = 0.1;
    public double AttentionProbsDropoutProb { get; init; } = 0.1;
    public double InitializerRange { get; init; } = 0.02;
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>True for RoBERTa (positions offset by the padding id, <c>roberta.</c> prefix, <c>lm_head</c>).</summary>
    public bool IsRoberta => ModelType == "roberta";

    /// <summary>Tokens the model can read: RoBERTa reserves <c>pad_token_id + 1</c> position slots.</summary>
    public int MaxSequenceLength => IsRoberta ? MaxPositionEmbeddings - PadTokenId - 1 : MaxPositionEmbeddings;

    /// <summary>Reads and validates a configuration; sizes are checked before any tensor is allocated.</summary>
    internal static BertConfig Read(ConfigReader config)
    {
        string modelType = config.ModelType ?? throw new InvalidDataException($"{config.Source}: 'model_type' is missing.");
        if (modelType is not ("bert" or "roberta"))
            throw new InvalidDataException($"{config.Source}: model_type '{modelType}' is not a BERT or RoBERTa model.");
        bool roberta = modelType == "roberta";
        var result = new BertConfig
        {
            ModelType = modelType,
            VocabSize = config.Int("vocab_size", null, 1, 4_000_000),
            HiddenSize = config.Int("hidden_size", null, 1, 65_536),
            NumHiddenLayers = config.Int("num_hidden_layers", null, 1, 512),
            NumAttentionHeads = config.Int("num_attention_heads", null, 1, 1024),
            IntermediateSize = config.Int("intermediate_size", null, 1, 262_144),
            HiddenAct = config.String("hidden_act", "gelu")!,
            MaxPositionEmbeddings = config.Int("max_position_embeddings", 512, 1, 1 << 20),
            TypeVocabSize = config.Int("type_vocab_size", 2, 0, 1024),
            LayerNormEps = config.Double("layer_norm_eps", 1e-12, 0, 1),
            PadTokenId = config.Int("pad_token_id", roberta ? 1 : 0, 0, int.MaxValue),
            BosTokenId = config.Int("bos_token_id", 0, 0, int.MaxValue),
            EosTokenId = config.Int("eos_token_id", 2, 0, int.MaxValue),
            HiddenDropoutProb = config.Double("hidden_dropout_prob", 0.1, 0, 1),
            AttentionProbsDropoutProb = config.Double("attention_probs_dropout_prob", 0.1, 0, 1),
            InitializerRange = config.Double("initializer_range", 0.02, 0, 10),
            TieWordEmbeddings = config.Bool("tie_word_embeddings", true),
        };
        result.Validate(config.Source);
        config.CheckParameterCount("the embeddings", result.VocabSize, result.HiddenSize);
        config.CheckParameterCount("the layers", result.NumHiddenLayers, result.HiddenSize, result.IntermediateSize + 4L * result.HiddenSize);
        return result;
    }

    private void Validate(string source)
    {
        if (HiddenSize % NumAttentionHeads != 0)
            throw new InvalidDataException($"{source}: hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}.");
        if (HiddenAct is not ("gelu" or "gelu_new" or "relu"))
            throw new InvalidDataException($"{source}: hidden_act '{HiddenAct}' is not supported (gelu, gelu_new, relu).");
        if (!TieWordEmbeddings)
            throw new InvalidDataException($"{source}: untied MLM decoders (tie_word_embeddings = false) are not supported for {ModelType}.");
        if (PadTokenId >= VocabSize)
            throw new InvalidDataException($"{source}: pad_token_id {PadTokenId} is outside the vocabulary of {VocabSize}.");
        if (IsRoberta && MaxPositionEmbeddings <= PadTokenId + 1)
            throw new InvalidDataException($"{source}: max_position_embeddings {MaxPositionEmbeddings} leaves no positions after the padding offset.");
    }

    /// <summary>The configuration as a Hugging Face <c>config.json</c> object.</summary>
    public JsonObject ToJson() => new()
    {
        ["architectures"] = new JsonArray(IsRoberta ? "RobertaForMaskedLM" : "BertForMaskedLM"),
        ["model_type"] = ModelType,
        ["vocab_size"] = VocabSize,
        ["hidden_size"] = HiddenSize,
        ["num_hidden_layers"] = NumHiddenLayers,
        ["num_attention_heads"] = NumAttentionHeads,
        ["intermediate_size"] = IntermediateSize,
        ["hidden_act"] = HiddenAct,
        ["max_position_embeddings"] = MaxPositionEmbeddings,
        ["type_vocab_size"] = TypeVocabSize,
        ["layer_norm_eps"] = LayerNormEps,
        ["pad_token_id"] = PadTokenId,
        ["bos_token_id"] = BosTokenId,
        ["eos_token_id"] = EosTokenId,
        ["hidden_dropout_prob"] = HiddenDropoutProb,
        ["attention_probs_dropout_prob"] = AttentionProbsDropoutProb,
        ["initializer_range"] = InitializerRange,
        ["position_embedding_type"] = "absolute",
        ["tie_word_embeddings"] = TieWordEmbeddings,
    };
}
