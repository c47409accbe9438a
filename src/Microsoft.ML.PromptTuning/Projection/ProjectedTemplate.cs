using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>
/// Carries a template over to another backbone: masked LMs read the label at <c>{mask}</c> (inserted after the leading
/// soft tokens when the source template has none), encoder-decoders from the decoder (any <c>{mask}</c> is removed); the
/// soft-token count becomes the target prompt length.
/// </summary>
public static class ProjectedTemplate
{
    /// <summary>
    /// The target backbone's template for prompts of <paramref name="softTokens"/> tokens: <paramref name="source"/> adapted
    /// as above, or the target family's default layout when there is no source template.
    /// </summary>
    /// <exception cref="ArgumentException">The length changes but the template splits its soft tokens over several runs (it is
    /// ambiguous which run changes); give the target template explicitly.</exception>
    public static PromptTemplate For(PromptTemplate? source, BackboneInfo target, int softTokens)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (source is null)
            return target.IsEncoderDecoder ? PromptTemplate.Seq2SeqDefault(softTokens) : PromptTemplate.MaskedLmDefault(softTokens);
        var parts = source.Parts.ToList();
        if (source.SoftTokenCount != softTokens)
        {
            var runs = parts.OfType<SoftTokensPart>().ToList();
            if (runs.Count != 1)
                throw new ArgumentException(
                    $"The template \"{source}\" has {runs.Count} runs of soft tokens; give the target template explicitly to change the prompt length to {softTokens}.", nameof(softTokens));
            parts[parts.IndexOf(runs[0])] = new SoftTokensPart(softTokens);
        }
        if (target.IsEncoderDecoder)
            parts.RemoveAll(p => p is MaskPart);
        else if (!parts.Any(p => p is MaskPart))
            parts.Insert(parts.TakeWhile(p => p is SoftTokensPart).Count(), new MaskPart());
        return new PromptTemplate(parts);
    }
}
