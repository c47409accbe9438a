using System.Text;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// A prompt template in OpenPrompt's vocabulary: soft tokens (<c>{soft}</c>, <c>{soft:20}</c>), the mask (<c>{mask}</c>), text
/// placeholders (<c>{text_a}</c>, <c>{sentence}</c>, <c>{placeholder:my column}</c>, optional ones as <c>{text_b?}</c>) and
/// literal hard-prompt text between them, e.g. <c>{soft:20} {text_a} It was {mask}.</c>. Immutable.
/// </summary>
/// <remarks>
/// Soft tokens are numbered in template order: row <c>k</c> of the prompt tensor <c>[SoftTokenCount, hidden]</c> fills the
/// k-th soft slot. Soft tokens that open the template go before the model's start token, as PEFT prepends virtual tokens.
/// </remarks>
public sealed class PromptTemplate
{
    /// <summary>The most soft tokens a template may hold (in one run or in all together).</summary>
    public const int MaxSoftTokens = 4096;

    private readonly TemplatePart[] _parts;

    /// <summary>Builds a template from parts; adjacent literal parts are merged.</summary>
    /// <exception cref="ArgumentException">The parts do not form a valid template; the message names the problem.</exception>
    public PromptTemplate(IEnumerable<TemplatePart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        _parts = MergeLiterals(parts);
        string text = string.Concat(_parts.Select(p => p.ToString()));
        TemplateValidation.Validate(_parts, text);
        SoftTokenCount = _parts.OfType<SoftTokensPart>().Sum(p => p.Count);
        // Spaces between soft runs encode to nothing (a literal's trailing spaces only separate parts), so they do not end the leading run.
        var leading = _parts.TakeWhile(p => p is SoftTokensPart || p is TextPart { Text: var t } && t.Trim(' ').Length == 0).ToList();
        LeadingPartCount = leading.Count;
        LeadingSoftTokenCount = leading.OfType<SoftTokensPart>().Sum(p => p.Count);
        Placeholders = _parts.OfType<PlaceholderPart>().Select(p => p.Column).ToArray();
        HasMask = _parts.Any(p => p is MaskPart);
    }

    /// <summary>The parts in order.</summary>
    public IReadOnlyList<TemplatePart> Parts => _parts;

    /// <summary>The number of soft tokens, i.e. of rows the prompt tensor <c>[N, hidden]</c> must have.</summary>
    public int SoftTokenCount { get; }

    /// <summary>The soft tokens before any hard part; they go before the model's start token.</summary>
    public int LeadingSoftTokenCount { get; }

    /// <summary>How many of <see cref="Parts"/> form that leading run (soft tokens and the spaces between them).</summary>
    internal int LeadingPartCount { get; }

    /// <summary>The placeholder column names in template order (each appears once).</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>Whether the template holds <c>{mask}</c> (masked LMs); seq2seq templates have none.</summary>
    public bool HasMask { get; }

    /// <summary>Parses a template string.</summary>
    /// <exception cref="ArgumentException">Unbalanced braces, an unknown <c>{x:…}</c> form, a soft-token count outside
    /// <c>[1, <see cref="MaxSoftTokens"/>]</c>, more than one <c>{mask}</c>, a repeated placeholder or none at all.</exception>
    public static PromptTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        List<TemplatePart> parts = TemplateSyntax.Parse(template);
        if (parts.Count == 0)
            throw TemplateSyntax.Error(template, "the template is empty");
        return new PromptTemplate(parts);
    }

    /// <summary>
    /// The masked-LM layout of the paper, <c>&lt;soft×N&gt; &lt;mask&gt; text_a text_b</c>:
    /// <c>{soft:N}{mask}{text_a}{text_b?}</c>, <c>text_b</c> being optional.
    /// </summary>
    public static PromptTemplate MaskedLmDefault(int softTokens = 100) =>
        new([new SoftTokensPart(softTokens), new MaskPart(), new PlaceholderPart("text_a"), new PlaceholderPart("text_b", IsOptional: true)]);

    /// <summary>
    /// The encoder-decoder (T5) layout: <c>{soft:N}{text_a}{text_b?}</c>; the label word is the decoder's target, so the
    /// encoder input has no mask.
    /// </summary>
    public static PromptTemplate Seq2SeqDefault(int softTokens = 100) =>
        new([new SoftTokensPart(softTokens), new PlaceholderPart("text_a"), new PlaceholderPart("text_b", IsOptional: true)]);

    /// <summary>The template in canonical syntax; <see cref="Parse"/> of it gives an equal template.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (TemplatePart part in _parts)
            text.Append(part);
        return text.ToString();
    }

    private static TemplatePart[] MergeLiterals(IEnumerable<TemplatePart> parts)
    {
        var merged = new List<TemplatePart>();
        foreach (TemplatePart part in parts)
        {
            if (part is null)
                throw new ArgumentException("A template part is null.", nameof(parts));
            if (part is TextPart { Text: not null } next && merged.Count > 0 && merged[^1] is TextPart { Text: not null } previous)
                merged[^1] = new TextPart(previous.Text + next.Text);
            else
                merged.Add(part);
        }
        return merged.ToArray();
    }
}
