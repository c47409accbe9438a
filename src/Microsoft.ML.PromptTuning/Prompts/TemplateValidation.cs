namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>The cross-part rules of a <see cref="PromptTemplate"/>, in one place.</summary>
internal static class TemplateValidation
{
    /// <exception cref="ArgumentException">A rule is broken; the message quotes <paramref name="text"/> and names the problem.</exception>
    public static void Validate(IReadOnlyList<TemplatePart> parts, string text)
    {
        if (parts.Count == 0)
            throw TemplateSyntax.Error(text, "the template is empty");
        int softTotal = 0, masks = 0;
        var columns = new HashSet<string>(StringComparer.Ordinal);
        foreach (TemplatePart part in parts)
        {
            switch (part)
            {
                case SoftTokensPart soft:
                    if (soft.Count <= 0 || soft.Count > PromptTemplate.MaxSoftTokens)
                        throw TemplateSyntax.Error(text, $"a soft-token count of {soft.Count} is outside [1, {PromptTemplate.MaxSoftTokens}]");
                    softTotal += soft.Count;
                    break;
                case MaskPart when ++masks > 1:
                    throw TemplateSyntax.Error(text, "{mask} appears more than once; a template predicts at one position");
                case PlaceholderPart placeholder:
                    CheckColumn(placeholder.Column, text);
                    if (!columns.Add(placeholder.Column))
                        throw TemplateSyntax.Error(text, $"the placeholder '{placeholder.Column}' appears more than once");
                    break;
                case TextPart { Text: null or "" }:
                    throw TemplateSyntax.Error(text, "a literal text part is empty");
            }
        }
        if (softTotal > PromptTemplate.MaxSoftTokens)
            throw TemplateSyntax.Error(text, $"{softTotal} soft tokens in all exceed the limit of {PromptTemplate.MaxSoftTokens}");
        if (!parts.OfType<PlaceholderPart>().Any(p => !p.IsOptional))
            throw TemplateSyntax.Error(text, "the template has no required text placeholder such as {text_a}");
    }

    private static void CheckColumn(string column, string text)
    {
        if (string.IsNullOrWhiteSpace(column))
            throw TemplateSyntax.Error(text, "a placeholder names no column");
        if (column.IndexOfAny(['{', '}']) >= 0 || column.EndsWith('?') || column != column.Trim())
            throw TemplateSyntax.Error(text, $"the column name '{column}' cannot be written in a template (braces, a trailing '?' or surrounding spaces)");
    }
}
