using Microsoft.ML.PromptTuning.Backbones.Bert;

namespace Microsoft.ML.PromptTuning.Benchmarks;

/// <summary>Floating-point operations of a BERT-style encoder pass that reads the MLM head at one position per row.</summary>
internal static class EncoderFlops
{
    /// <summary>Forward FLOPs: all layers over every token except the last, which runs only at the mask.</summary>
    public static double Forward(BertConfig c, long batch, long tokens)
    {
        double d = c.HiddenSize, f = c.IntermediateSize, s = tokens;
        double fullLayer = Linear(batch, s, d, f) + Attention(batch, s, s, d);
        // Last layer: keys/values for every token, query/output/FFN and the head only at the mask.
        double lastLayer = 2.0 * 2 * batch * s * d * d + 2.0 * 2 * batch * d * d + 2.0 * 2 * batch * d * f + Attention(batch, 1, s, d);
        return (c.NumHiddenLayers - 1) * fullLayer + lastLayer + Head(c, batch, 1);
    }

    /// <summary>Forward FLOPs of the reference layout: every layer and the LM head over every token.</summary>
    public static double FullSequenceForward(BertConfig c, long batch, long tokens) =>
        c.NumHiddenLayers * (Linear(batch, tokens, c.HiddenSize, c.IntermediateSize) + Attention(batch, tokens, tokens, c.HiddenSize)) + Head(c, batch, tokens);

    /// <summary>The MLM head (dense transform and vocabulary projection) at <paramref name="positions"/> per row.</summary>
    public static double Head(BertConfig c, long batch, long positions) =>
        2.0 * batch * positions * c.HiddenSize * (c.HiddenSize + c.VocabSize);

    /// <summary>
    /// Backward FLOPs to the prompt: frozen weights need no weight gradients, so each linear map costs one input-gradient
    /// matmul; attention's two activation-by-activation matmuls each need gradients for both operands.
    /// </summary>
    public static double BackwardToInputs(BertConfig c, long batch, long tokens)
    {
        double d = c.HiddenSize, s = tokens;
        double attentionFull = Attention(batch, s, s, d), attentionLast = Attention(batch, 1, s, d);
        double forward = Forward(c, batch, tokens);
        return forward + (c.NumHiddenLayers - 1) * attentionFull + attentionLast;
    }

    private static double Linear(double batch, double s, double d, double f) => 2.0 * batch * s * (4 * d * d + 2 * d * f);

    private static double Attention(double batch, double queries, double keys, double d) => 2.0 * 2 * batch * queries * keys * d;
}
