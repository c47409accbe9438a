using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// The scoring step of prompt tuning: a frozen backbone read through a template and a verbalizer. Given rows and a soft
/// prompt <c>[N, hidden]</c> it returns label scores <c>[batch, labels]</c> (log-probabilities before normalisation over the
/// labels) — at the mask for masked LMs, from the decoder for T5 — with the LM head computed only where it is read.
/// </summary>
public sealed class PromptClassifier
{
    /// <summary>Rows per forward pass when scoring many rows.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>Pairs a frozen <paramref name="backbone"/> with the template encoder and verbalizer that read it.</summary>
    public PromptClassifier(LanguageModel backbone, PromptEncoder encoder, Verbalizer verbalizer)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(verbalizer);
        if (backbone is MaskedLanguageModel && !encoder.Template.HasMask)
            throw new ArgumentException($"The template '{encoder.Template}' has no {{mask}}, which a masked language model needs to read the label.", nameof(encoder));
        if (backbone is not (MaskedLanguageModel or T5ForConditionalGeneration))
            throw new ArgumentException($"Unsupported backbone {backbone.GetType().Name}.", nameof(backbone));
        Backbone = backbone;
        Encoder = encoder;
        Verbalizer = verbalizer;
    }

    public LanguageModel Backbone { get; }

    public PromptEncoder Encoder { get; }

    public Verbalizer Verbalizer { get; }

    /// <summary>Soft tokens the template expects, i.e. rows of the prompt.</summary>
    public int PromptLength => Encoder.Template.SoftTokenCount;

    /// <summary>Lays out and collates rows on the backbone's device.</summary>
    public PromptBatch Collate(IReadOnlyList<EncodedPrompt> rows) =>
        PromptBatch.Collate(rows, Encoder.Tokenizer.Special.PadId, Backbone.Device);

    /// <summary>Label scores <c>[batch, labels]</c> for a collated batch; differentiable with respect to <paramref name="prompt"/>.</summary>
    public Tensor LabelScores(PromptBatch batch, Tensor prompt, FfnActivationRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        return LabelScoresWithRepresentation(batch, prompt, recorder).Scores.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="LabelScores"/> <c>[batch, labels]</c> and, from the same forward pass, the backbone's final hidden state where
    /// the verbalizer reads <c>[batch, hidden]</c>: the last encoder layer at the mask, before the LM head (masked LMs), or the
    /// decoder's state at its first step, the start token (T5). A <paramref name="recorder"/> collects the FFN activations
    /// where the verbalizer reads (not for T5 label words of several tokens).
    /// </summary>
    public (Tensor Scores, Tensor Representation) LabelScoresWithRepresentation(PromptBatch batch, Tensor prompt, FfnActivationRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        var embeds = batch.EmbedInputs(Backbone, prompt);
        Tensor scores, hidden;
        if (Backbone is MaskedLanguageModel mlm)
        {
            // PredictAt's operations, keeping the encoder state it feeds to the LM head.
            var atMask = mlm.Encode(embeds, batch.AttentionMask, batch.MaskPositions!.unsqueeze(1), recorder);      // [batch, 1, hidden]
            scores = Verbalizer.Scores(mlm.PredictTokens(atMask).squeeze(1));
            hidden = atMask.squeeze(1);
        }
        else
        {
            var t5 = (T5ForConditionalGeneration)Backbone;
            var encoded = t5.Encode(embeds, batch.AttentionMask);
            if (Verbalizer.MaxWordTokens == 1)
            {
                // FirstStepLogits' operations, keeping the decoder state it feeds to the LM head.
                var firstStep = t5.Decode(t5.StartTokens(batch.BatchSize, embeds.device), encoded, batch.AttentionMask, recorder);   // [batch, 1, d_model]
                scores = Verbalizer.Scores(t5.PredictTokens(firstStep).select(1, 0));
                hidden = firstStep.select(1, 0);
            }
            else
            {
                // Longer words are decoded teacher-forced.
                (scores, hidden) = Verbalizer.DecoderScoresWithFirstStep(t5, encoded, batch.AttentionMask);
            }
        }
        return (scores.MoveToOuterDisposeScope(), hidden.MoveToOuterDisposeScope());
    }

    /// <summary>The index of the most probable label of one row of <see cref="Predict"/>.</summary>
    public static int ArgMax(float[] probabilities)
    {
        int best = 0;
        for (int i = 1; i < probabilities.Length; i++)
            if (probabilities[i] > probabilities[best])
                best = i;
        return best;
    }

    /// <summary>
    /// Class probabilities <c>[rows, labels]</c> for encoded rows, scored in batches of similar length (padding only to each
    /// batch's longest row) without gradients; results come back in the input order.
    /// </summary>
    public float[][] Predict(IReadOnlyList<EncodedPrompt> rows, Tensor prompt, int batchSize = DefaultBatchSize) =>
        PredictInBatches(rows, prompt, batchSize, representations: null);

    /// <summary>
    /// <see cref="Predict(IReadOnlyList{EncodedPrompt}, Tensor, int)"/> with each row's representation <c>[rows, hidden]</c>
    /// (see <see cref="LabelScoresWithRepresentation"/>) from the same forward passes.
    /// </summary>
    public (float[][] Probabilities, float[][] Representations) PredictWithRepresentation(IReadOnlyList<EncodedPrompt> rows, Tensor prompt, int batchSize = DefaultBatchSize)
    {
        var representations = new float[rows.Count][];
        return (PredictInBatches(rows, prompt, batchSize, representations), representations);
    }

    private float[][] PredictInBatches(IReadOnlyList<EncodedPrompt> rows, Tensor prompt, int batchSize, float[][]? representations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var result = new float[rows.Count][];
        using var noGrad = no_grad();
        using var devicePrompt = prompt.to(Backbone.Device);
        foreach (var bucket in LengthBuckets.Order(rows, batchSize))
        {
            using var scope = NewDisposeScope();
            using var batch = Collate(bucket.Select(i => rows[i]).ToList());
            var (scores, hidden) = LabelScoresWithRepresentation(batch, devicePrompt);
            if (representations is not null)
                Scatter(hidden.to(ScalarType.Float32).cpu().contiguous(), bucket, representations);
            Scatter(scores.softmax(-1).cpu(), bucket, result);
        }
        return result;
    }

    /// <summary>Copies the rows of <paramref name="values"/> <c>[bucket, width]</c> (float32, CPU) to <paramref name="into"/> at the bucket's row indices.</summary>
    private static void Scatter(Tensor values, IReadOnlyList<int> bucket, float[][] into)
    {
        int width = (int)values.shape[1];
        float[] flat = values.data<float>().ToArray();
        for (int r = 0; r < bucket.Count; r++)
            into[bucket[r]] = flat.AsSpan(r * width, width).ToArray();
    }
}
