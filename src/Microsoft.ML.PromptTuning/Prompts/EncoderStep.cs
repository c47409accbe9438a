using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>One template part prepared for encoding: soft slots, the mask id, literal ids tokenized once, or a placeholder.</summary>
internal sealed record EncoderStep(int SoftCount, bool IsMask, int MaskId, int[]? LiteralIds, PlaceholderPart? Placeholder)
{
    /// <summary>Prepares every part of <paramref name="template"/> for <paramref name="tokenizer"/>.</summary>
    /// <exception cref="ArgumentException">The template needs a mask token the tokenizer lacks, or a literal holds the mask token.</exception>
    public static EncoderStep[] Plan(PromptTemplate template, ModelTokenizer tokenizer)
    {
        int? maskId = tokenizer.Special.MaskId;
        if (template.HasMask && maskId is null)
            throw new ArgumentException(
                $"The template \"{template}\" has {{mask}} but the {tokenizer.GetType().Name} has no mask token; encoder-decoder " +
                "models read the label from the decoder, so use a template without {mask} (PromptTemplate.Seq2SeqDefault).", nameof(template));
        return template.Parts.Select(part => part switch
        {
            SoftTokensPart soft => new EncoderStep(soft.Count, false, -1, null, null),
            MaskPart => new EncoderStep(0, true, maskId!.Value, null, null),
            PlaceholderPart placeholder => new EncoderStep(0, false, -1, null, placeholder),
            TextPart literal => new EncoderStep(0, false, -1, EncodeLiteral(literal.Text, template, tokenizer), null),
            _ => throw new ArgumentException($"Unsupported template part {part.GetType().Name}.", nameof(template)),
        }).ToArray();
    }

    private static int[] EncodeLiteral(string literal, PromptTemplate template, ModelTokenizer tokenizer)
    {
        // Trailing spaces only separate the literal from the next part (see PromptEncoder's remarks); a newline or tab is content.
        string trimmed = literal.TrimEnd(' ');
        int[] ids = trimmed.Length == 0 ? [] : tokenizer.EncodeText(trimmed).ToArray();
        if (tokenizer.Special.MaskId is int maskId && ids.Contains(maskId))
            throw new ArgumentException(
                $"The literal \"{literal}\" of template \"{template}\" contains the mask token; write {{mask}} instead.", nameof(template));
        return ids;
    }
}
