using System.Text.RegularExpressions;

namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>
/// Encodes text in which special tokens may appear literally: the text is cut at each special token (longest match first,
/// as Hugging Face splits on added tokens before any normalization) and only the plain stretches go to the model.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly Regex _pattern;
    private readonly Dictionary<string, int> _ids;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        AddedToken[] ordered = tokens.OrderByDescending(t => t.Text.Length).ThenBy(t => t.Text, StringComparer.Ordinal).ToArray();
        if (ordered.Length == 0)
            throw new ArgumentException("At least one added token is required.", nameof(tokens));
        _ids = ordered.ToDictionary(t => t.Text, t => t.Id, StringComparer.Ordinal);
        // The group "token" holds the token itself; a left-stripping token also swallows the whitespace before it.
        string alternatives = string.Join("|", ordered.Select(t => (t.StripLeft ? @"\s*" : "") + "(?<token>" + Regex.Escape(t.Text) + ")"));
        _pattern = new Regex(alternatives, RegexOptions.CultureInvariant);
    }

    /// <summary>Encodes <paramref name="text"/>, sending each stretch between special tokens to <paramref name="encodePlain"/>.</summary>
    public List<int> Encode(string text, Func<string, IReadOnlyList<int>> encodePlain)
    {
        var ids = new List<int>();
        int position = 0;
        for (Match match = _pattern.Match(text); match.Success; match = match.NextMatch())
        {
            if (match.Index > position)
                ids.AddRange(encodePlain(text[position..match.Index]));
            ids.Add(_ids[match.Groups["token"].Value]);
            position = match.Index + match.Length;
        }
        if (position < text.Length)
            ids.AddRange(encodePlain(position == 0 ? text : text[position..]));
        return ids;
    }
}
