using System.Text.Json.Nodes;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>The <c>config.json</c> of a T5 encoder-decoder (v1.0 relu + tied embeddings, or v1.1 gated-gelu + untied head).</summary>
public sealed record T5Config
{
    public int VocabSize { get; init; } = 32128;
    public int DModel { get; init; } = 512;
    public int DKv { get; init; } = 64;
    public int DFf { get; init; } = 2048;
    public int NumLayers { get; init; } = 6;
    public int NumDecoderLayers { get; init; } = 6;
    public int NumHeads { get; init; } = 8;
    public int RelativeAttentionNumBuckets { get; init; } = 32;
    public int RelativeAttentionMaxDistance { get; init; } = 128;
    public double DropoutRate { get; init; } = 0.1;
    public double LayerNormEpsilon { get; init; } = 1e-6;
    public double InitializerFactor { get; init; } = 1.0;
    /// <summary><c>relu</c>, <c>gelu</c>, <c>gated-gelu</c>, <c>gated-silu</c>…: a <c>gated-</c> prefix selects <c>wi_0</c>/<c>wi_1</c>.</summary>
    public string FeedForwardProj { get; init; } = "relu";
    public bool TieWordEmbeddings { get; init; } = true;
    public int PadTokenId { get; init; } = 0;
    public int EosTokenId { get; init; } = 1;
    public int DecoderStartTokenId { get; init; } = 0;
    /// <summary>Longest encoder input accepted (relative positions have no hard limit; T5 was trained on 512).</summary>
    public int NPositions { get; init; } = 512;

    /// <summary>True when the FFN is gated (<c>wi_0</c>, <c>wi_1</c>).</summary>
    public bool IsGated => FeedForwardProj.StartsWith("gated-", StringComparison.Ordinal);

    /// <summary>The FFN activation; transformers maps <c>gated-gelu</c> to the tanh approximation <c>gelu_new</c>.</summary>
    public string DenseActivation
    {
        get
        {
            string act = IsGated ? FeedForwardProj["gated-".Length..] : FeedForwardProj;
            return FeedForwardProj == "gated-gelu" ? "gelu_new" : act;
        }
    }

    internal static T5Config Read(ConfigReader config)
    {
        if (config.ModelType is not ("t5" or "mt5"))
            throw new InvalidDataException($"{config.Source}: model_type '{config.ModelType}' is not a T5 model.");
        int layers = config.Int("num_layers", null, 1, 512);
        var result = new T5Config
        {
            VocabSize = config.Int("vocab_size", null, 1, 4_000_000),
            DModel = config.Int("d_model", null, 1, 65_536),
            DKv = config.Int("d_kv", null, 1, 4096),
            DFf = config.Int("d_ff", null, 1, 262_144),
            NumLayers = layers,
            NumDecoderLayers = config.Int("num_decoder_layers", layers, 1, 512),
            NumHeads = config.Int("num_heads", null, 1, 1024),
            RelativeAttentionNumBuckets = config.Int("relative_attention_num_buckets", 32, 2, 4096),
            RelativeAttentionMaxDistance = config.Int("relative_attention_max_distance", 128, 2, 1 << 20),
            DropoutRate = config.Double("dropout_rate", 0.1, 0, 1),
            LayerNormEpsilon = config.Double("layer_norm_epsilon", 1e-6, 0, 1),
            InitializerFactor = config.Double("initializer_factor", 1.0, 0, 100),
            FeedForwardProj = config.String("feed_forward_proj", "relu")!,
            TieWordEmbeddings = config.Bool("tie_word_embeddings", true),
            PadTokenId = config.Int("pad_token_id", 0, 0, int.MaxValue),
            EosTokenId = config.Int("eos_token_id", 1, 0, int.MaxValue),
            DecoderStartTokenId = config.Int("decoder_start_token_id", 0, 0, int.MaxValue),
            NPositions = config.Int("n_positions", 512, 1, 1 << 20),
        };
        if (result.DenseActivation is not ("relu" or "gelu" or "gelu_new"))
            throw new InvalidDataException($"{config.Source}: feed_forward_proj '{result.FeedForwardProj}' is not supported (relu, gelu, gated-gelu, gated-relu).");
        foreach (var (name, id) in new[] { ("pad_token_id", result.PadTokenId), ("eos_token_id", result.EosTokenId), ("decoder_start_token_id", result.DecoderStartTokenId) })
            if (id >= result.VocabSize)
                throw new InvalidDataException($"{config.Source}: {name} {id} is outside the vocabulary of {result.VocabSize}.");
        config.CheckParameterCount("the embeddings", result.VocabSize, result.DModel);
        config.CheckParameterCount("the layers", result.NumLayers + result.NumDecoderLayers, result.DModel, 3L * result.DFf + 8L * result.NumHeads * result.DKv);
        return result;
    }

    /// <summary>The configuration as a Hugging Face <c>config.json</c> object.</summary>
    public JsonObject ToJson() => new()
    {
        ["architectures"] = new JsonArray("T5ForConditionalGeneration"),
        ["model_type"] = "t5",
        ["vocab_size"] = VocabSize,
        ["d_model"] = DModel,
        ["d_kv"] = DKv,
        ["d_ff"] = DFf,
        ["num_layers"] = NumLayers,
        ["num_decoder_layers"] = NumDecoderLayers,
        ["num_heads"] = NumHeads,
        ["relative_attention_num_buckets"] = RelativeAttentionNumBuckets,
        ["relative_attention_max_distance"] = RelativeAttentionMaxDistance,
        ["dropout_rate"] = DropoutRate,
        ["layer_norm_epsilon"] = LayerNormEpsilon,
        ["initializer_factor"] = InitializerFactor,
        ["feed_forward_proj"] = FeedForwardProj,
        ["tie_word_embeddings"] = TieWordEmbeddings,
        ["pad_token_id"] = PadTokenId,
        ["eos_token_id"] = EosTokenId,
        ["decoder_start_token_id"] = DecoderStartTokenId,
        ["is_encoder_decoder"] = true,
        ["n_positions"] = NPositions,
    };
}
