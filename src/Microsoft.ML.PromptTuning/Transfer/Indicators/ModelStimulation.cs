using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Transfer.Indicators;

/// <summary>
/// The model-stimulation indicator (ON) of Su et al. (2022): which FFN neurons a prompt alone activates in the frozen backbone,
/// and the overlap of two prompts' activated neurons.
/// </summary>
public static class ModelStimulation
{
    /// <summary>
    /// Feeds <paramref name="prompt"/> <c>[N, hidden]</c> with no text through <paramref name="backbone"/> (masked LMs:
    /// <c>[P] &lt;s&gt; &lt;mask&gt; &lt;/s&gt;</c>, read at the mask; T5: <c>[P] &lt;/s&gt;</c>, read at the first decoder
    /// step's FFN input projection) and returns the activated neurons <c>[layers, ffn]</c> (float32, 1 where the activation is &gt; 0).
    /// </summary>
    public static Tensor ActivatedNeurons(LanguageModel backbone, ModelTokenizer tokenizer, Tensor prompt)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.dim() != 2 || prompt.shape[1] != backbone.HiddenSize)
            throw new ArgumentException($"The prompt is [{string.Join(", ", prompt.shape)}]; the {backbone.ModelType} backbone needs [N, {backbone.HiddenSize}].", nameof(prompt));
        int length = (int)prompt.shape[0];
        var template = backbone is MaskedLanguageModel ? PromptTemplate.MaskedLmDefault(length) : PromptTemplate.Seq2SeqDefault(length);
        var encoded = new PromptEncoder(template, tokenizer, length + 8, allowEmptyText: true).Encode("");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var batch = PromptBatch.Collate([encoded], tokenizer.Special.PadId, backbone.Device);
        var embeds = batch.EmbedInputs(backbone, prompt.detach().to(ScalarType.Float32, backbone.Device));
        // Masked LMs are read at the mask; T5's decoder at its first (only) step, position 0.
        var positions = batch.MaskPositions?.unsqueeze(1) ?? zeros([1, 1], ScalarType.Int64, backbone.Device);
        using var recorder = new FfnActivationRecorder(positions);
        if (backbone is MaskedLanguageModel mlm)
            mlm.Encode(embeds, batch.AttentionMask, positions, recorder);
        else
            ((T5ForConditionalGeneration)backbone).FirstStepLogits(embeds, batch.AttentionMask, recorder);
        return recorder.Stack()[0, .., 0, ..].GreaterThan(0).to(ScalarType.Float32).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The overlap of two activated-neuron sets <c>[layers, ffn]</c> over layers <c>[firstLayer, firstLayer + layerCount)</c>
    /// (all layers by default): the cosine of the binary vectors, <c>|a ∩ b| / sqrt(|a| |b|)</c>; 0 when either set is empty.
    /// </summary>
    public static double Overlap(Tensor a, Tensor b, int firstLayer = 0, int? layerCount = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.dim() != 2 || !a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"Activated neurons must be two [layers, ffn] matrices of one shape, not [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        int count = layerCount ?? (int)a.shape[0] - firstLayer;
        if (firstLayer < 0 || count < 1 || firstLayer + count > a.shape[0])
            throw new ArgumentOutOfRangeException(nameof(firstLayer), $"Layers [{firstLayer}, {firstLayer + count}) lie outside the {a.shape[0]} recorded layers.");
        using var scope = NewDisposeScope();
        var x = a.narrow(0, firstLayer, count).flatten().to(ScalarType.Float64);
        var y = b.narrow(0, firstLayer, count).flatten().to(ScalarType.Float64);
        double norms = Math.Sqrt(x.sum().item<double>() * y.sum().item<double>());
        return norms == 0 ? 0 : x.dot(y).item<double>() / norms;
    }
}
