using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>A sanity probe of a masked LM: the top-k words it fills into a sentence's <c>&lt;mask&gt;</c>.</summary>
public static class MaskFillProbe
{
    /// <summary>The <paramref name="k"/> most likely fills of the single mask token in <paramref name="text"/>, best first.</summary>
    public static IReadOnlyList<string> TopFills(MaskedLanguageModel model, ModelTokenizer tokenizer, string text, int k = 5)
    {
        int maskId = tokenizer.Special.MaskId ?? throw new ArgumentException("The tokenizer has no mask token.", nameof(tokenizer));
        var ids = tokenizer.Encode(text);
        int position = ids.ToList().IndexOf(maskId);
        if (position < 0)
            throw new ArgumentException($"The probe \"{text}\" contains no mask token.", nameof(text));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray(), new long[] { 1, ids.Count }).to(model.Device);
        var logits = model.PredictTokens(model.EncodeTokens(input, ones(1, ids.Count, device: model.Device), tensor(new long[] { position }).reshape(1, 1).to(model.Device)));
        var top = logits.reshape(-1).topk(k).indexes.cpu().data<long>().ToArray();
        return top.Select(id => tokenizer.Decode(new[] { (int)id }).Trim()).ToList();
    }
}
