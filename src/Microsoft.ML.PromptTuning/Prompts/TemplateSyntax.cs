using System.Globalization;
using System.Text;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// Reads the template language: <c>{soft}</c>, <c>{soft:N}</c>, <c>{mask}</c>, <c>{name}</c>, <c>{placeholder:name}</c> or
/// <c>{meta:name}</c> (OpenPrompt's spelling), a trailing <c>?</c> marking an optional placeholder, and literal text in which
/// <c>{{</c> and <c>}}</c> stand for single braces. Whitespace just inside braces is ignored.
/// </summary>
internal static class TemplateSyntax
{
    public const string Soft = "soft";
    public const string Mask = "mask";
    private const string Placeholder = "placeholder";
    private const string Meta = "meta";

    /// <summary>Splits <paramref name="template"/> into parts; adjacent literal text forms one <see cref="TextPart"/>.</summary>
    /// <exception cref="ArgumentException">The text is not a well-formed template; the message gives the position.</exception>
    public static List<TemplatePart> Parse(string template)
    {
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < template.Length)
        {
            char c = template[i];
            if (c == '{' && At(template, i + 1, '{') || c == '}' && At(template, i + 1, '}'))
            {
                literal.Append(c);
                i += 2;
            }
            else if (c == '}')
            {
                throw Error(template, $"the '}}' at position {i} closes nothing (write '}}}}' for a literal brace)");
            }
            else if (c == '{')
            {
                int close = FindClose(template, i);
                if (literal.Length > 0)
                {
                    parts.Add(new TextPart(literal.ToString()));
                    literal.Clear();
                }
                parts.Add(ParseField(template, template[(i + 1)..close].Trim(), i));
                i = close + 1;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }
        if (literal.Length > 0)
            parts.Add(new TextPart(literal.ToString()));
        return parts;
    }

    /// <summary>An <see cref="ArgumentException"/> for a malformed template, quoting it.</summary>
    public static ArgumentException Error(string template, string problem) =>
        new($"Template \"{template}\": {problem}.", nameof(template));

    private static bool At(string text, int index, char expected) => index < text.Length && text[index] == expected;

    private static int FindClose(string template, int open)
    {
        for (int j = open + 1; j < template.Length; j++)
        {
            if (template[j] == '}')
                return j;
            if (template[j] == '{')
                throw Error(template, $"the '{{' at position {open} is not closed before the '{{' at position {j}");
        }
        throw Error(template, $"the '{{' at position {open} is never closed (write '{{{{' for a literal brace)");
    }

    private static TemplatePart ParseField(string template, string field, int position)
    {
        if (field.Length == 0)
            throw Error(template, $"the braces at position {position} are empty");
        int colon = field.IndexOf(':');
        if (colon < 0)
        {
            if (field == Soft)
                return new SoftTokensPart(1);
            if (field == Mask)
                return new MaskPart();
            (string name, bool optional) = SplitOptional(field);
            if (!PlaceholderPart.IsPlainName(name))
                throw Error(template, $"'{{{field}}}' at position {position} is not a placeholder name; write {{placeholder:{name}}} for a column with that name");
            return new PlaceholderPart(name, optional);
        }

        string kind = field[..colon].Trim(), argument = field[(colon + 1)..].Trim();
        switch (kind)
        {
            case Soft:
                return new SoftTokensPart(ParseSoftCount(template, argument, position));
            case Placeholder or Meta:
                (string name, bool optional) = SplitOptional(argument);
                if (name.Length == 0)
                    throw Error(template, $"'{{{field}}}' at position {position} names no column");
                return new PlaceholderPart(name, optional);
            case Mask:
                throw Error(template, $"'{{{field}}}' at position {position}: {{mask}} takes no argument");
            default:
                throw Error(template, $"'{{{field}}}' at position {position} is not a known form; use {{soft}}, {{soft:N}}, {{mask}}, " +
                                      "{text_a}, {placeholder:name} or {meta:name}");
        }
    }

    private static int ParseSoftCount(string template, string argument, int position)
    {
        if (!int.TryParse(argument, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int count))
            throw Error(template, $"the soft-token count '{argument}' at position {position} is not a whole number");
        if (count <= 0 || count > PromptTemplate.MaxSoftTokens)
            throw Error(template, $"the soft-token count {count} at position {position} is outside [1, {PromptTemplate.MaxSoftTokens}]");
        return count;
    }

    private static (string Name, bool Optional) SplitOptional(string field) =>
        field.EndsWith('?') ? (field[..^1].TrimEnd(), true) : (field, false);
}
