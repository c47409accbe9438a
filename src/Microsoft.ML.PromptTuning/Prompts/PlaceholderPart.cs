using System.Text.RegularExpressions;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// A slot filled with the text of column <paramref name="Column"/>: <c>{text_a}</c>, <c>{sentence}</c> or
/// <c>{placeholder:any name}</c>; an optional one (<c>{text_b?}</c>) contributes nothing when a row has no such text.
/// </summary>
/// <param name="Column">The column (or OpenPrompt field such as <c>text_a</c>) whose text goes here.</param>
/// <param name="IsOptional">Whether a missing, empty or whitespace-only text is allowed and then left out.</param>
public sealed partial record PlaceholderPart(string Column, bool IsOptional = false) : TemplatePart
{
    /// <inheritdoc/>
    public override string ToString()
    {
        string column = Column ?? "";
        string name = IsPlainName(column) ? column : "placeholder:" + column;
        return "{" + name + (IsOptional ? "?" : "") + "}";
    }

    /// <summary>Whether <paramref name="name"/> can be written as <c>{name}</c>: word characters, <c>.</c> or <c>-</c>,
    /// and not a template keyword.</summary>
    internal static bool IsPlainName(string name) =>
        PlainName().IsMatch(name) && name is not (TemplateSyntax.Soft or TemplateSyntax.Mask);

    [GeneratedRegex(@"^[\p{L}\p{N}_.\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();
}
