using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>
/// T5 encoder-decoder with its LM head (HF <c>T5ForConditionalGeneration</c>): <c>shared</c>, <c>encoder.*</c>, <c>decoder.*</c>
/// and, when untied (v1.1), <c>lm_head</c>. Prompt tuning prepends the soft prompt to the encoder input and reads the label
/// word from the decoder.
/// </summary>
public sealed class T5ForConditionalGeneration : LanguageModel
{
#pragma warning disable IDE1006
    internal readonly Embedding shared;
    internal readonly T5Stack encoder;
    internal readonly T5Stack decoder;
    internal readonly Linear? lm_head;
#pragma warning restore IDE1006

    private static readonly Dictionary<string, string[]> TiedCopiesUntied = new() { ["shared.weight"] = ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"] };
    private static readonly Dictionary<string, string[]> TiedCopiesTied = new() { ["shared.weight"] = ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight"] };

    /// <summary>Builds a randomly initialised model; load weights with <see cref="Checkpoints.StateDictLoader"/>.</summary>
    public T5ForConditionalGeneration(T5Config config) : base(nameof(T5ForConditionalGeneration))
    {
        Config = config;
        shared = nn.Embedding(config.VocabSize, config.DModel);
        encoder = new T5Stack(config, isDecoder: false);
        decoder = new T5Stack(config, isDecoder: true);
        lm_head = config.TieWordEmbeddings ? null : nn.Linear(config.DModel, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The model's configuration.</summary>
    public T5Config Config { get; }

    public override string ModelType => "t5";
    public override int HiddenSize => Config.DModel;
    public override int VocabularySize => Config.VocabSize;
    public override int MaxSequenceLength => Config.NPositions;
    public override int FfnLayerCount => Config.NumDecoderLayers;
    public override int FfnSize => Config.DFf;
    internal override IReadOnlyDictionary<string, string[]> TiedCopies => Config.TieWordEmbeddings ? TiedCopiesTied : TiedCopiesUntied;

    public override JsonObject ToConfigJson() => Config.ToJson();

    public override Tensor EmbedTokens(Tensor inputIds) => shared.forward(inputIds);

    /// <summary>The shared token-embedding matrix <c>[vocab, d_model]</c>.</summary>
    public Tensor WordEmbeddings => shared.weight!;

    /// <summary>Encodes <paramref name="inputsEmbeds"/> <c>[batch, T, d_model]</c> with a padding mask <c>[batch, T]</c>.</summary>
    public Tensor Encode(Tensor inputsEmbeds, Tensor attentionMask)
    {
        CheckLength(inputsEmbeds.shape[1]);
        return encoder.forward(inputsEmbeds, attentionMask);
    }

    /// <summary>Encodes token ids <c>[batch, T]</c>.</summary>
    public Tensor EncodeTokens(Tensor inputIds, Tensor attentionMask)
    {
        using var embeds = EmbedTokens(inputIds);
        return Encode(embeds, attentionMask);
    }

    /// <summary>
    /// Decoder states <c>[batch, Td, d_model]</c> for <paramref name="decoderInputIds"/> <c>[batch, Td]</c> over the encoder output;
    /// a <paramref name="recorder"/> collects each decoder block's FFN input projection.
    /// </summary>
    public Tensor Decode(Tensor decoderInputIds, Tensor encoderHidden, Tensor encoderMask, FfnActivationRecorder? recorder = null)
    {
        using var embeds = EmbedTokens(decoderInputIds);
        return decoder.forward(embeds, null, encoderHidden, encoderMask, recorder);
    }

    /// <summary>Vocabulary logits <c>[..., vocab]</c> for decoder states; tied heads rescale by <c>d_model^-0.5</c> as T5 v1.0 does.</summary>
    public Tensor PredictTokens(Tensor decoderHidden)
    {
        if (lm_head is not null)
            return lm_head.forward(decoderHidden);
        using var scaled = decoderHidden.Times(Math.Pow(Config.DModel, -0.5));
        return nn.functional.linear(scaled, WordEmbeddings);
    }

    /// <summary>Logits <c>[batch, Td, vocab]</c> of a full encoder-decoder pass.</summary>
    public Tensor forward(Tensor inputsEmbeds, Tensor attentionMask, Tensor decoderInputIds)
    {
        using var scope = NewDisposeScope();
        var encoded = Encode(inputsEmbeds, attentionMask);
        return PredictTokens(Decode(decoderInputIds, encoded, attentionMask)).MoveToOuterDisposeScope();
    }

    /// <summary>Decoder input <c>[batch, 1]</c> holding the start token.</summary>
    public Tensor StartTokens(long batch, Device device) =>
        ScalarSafeOps.Filled([batch, 1], Config.DecoderStartTokenId, ScalarType.Int64, device);

    /// <summary>Logits <c>[batch, vocab]</c> of the first decoder step: what a one-token verbalizer reads.</summary>
    public Tensor FirstStepLogits(Tensor inputsEmbeds, Tensor attentionMask, FfnActivationRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        var encoded = Encode(inputsEmbeds, attentionMask);
        var hidden = Decode(StartTokens(inputsEmbeds.shape[0], inputsEmbeds.device), encoded, attentionMask, recorder);
        return PredictTokens(hidden).select(1, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Greedy decoding of up to <paramref name="maxNewTokens"/> tokens per row (stopping at <c>eos</c>); the start token and
    /// <c>eos</c> are not included in the result.
    /// </summary>
    public IReadOnlyList<long[]> Generate(Tensor inputsEmbeds, Tensor attentionMask, int maxNewTokens)
    {
        if (maxNewTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, "Generate at least one token.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long batch = inputsEmbeds.shape[0];
        var encoded = Encode(inputsEmbeds, attentionMask);
        var generated = StartTokens(batch, inputsEmbeds.device);
        var finished = zeros(batch, dtype: ScalarType.Bool, device: inputsEmbeds.device);
        for (int step = 0; step < maxNewTokens && !finished.all().item<bool>(); step++)
        {
            using var stepScope = NewDisposeScope();
            var logits = PredictTokens(Decode(generated, encoded, attentionMask).select(1, -1));
            var next = logits.argmax(-1).FilledWhere(finished, (long)Config.PadTokenId);
            finished.logical_or_(next.EqualTo(Config.EosTokenId));
            generated = cat(new[] { generated, next.unsqueeze(1) }, 1).MoveToOuterDisposeScope();
        }
        var rows = generated.cpu().data<long>().ToArray();
        long width = generated.shape[1];
        var result = new List<long[]>((int)batch);
        for (long r = 0; r < batch; r++)
            result.Add(rows.Skip((int)(r * width) + 1).Take((int)width - 1).TakeWhile(id => id != Config.EosTokenId).ToArray());
        return result;
    }
}
