namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>Decides whether a BERT vocabulary is used uncased (lower-casing, accent stripping) or cased.</summary>
internal static class BertCasing
{
    /// <summary>Above this share of tokens with an upper-case letter a vocabulary is cased (bert-base-uncased has 2 of 30,522:
    /// "ℝ" and "##ℝ"; bert-base-cased has thousands).</summary>
    private const double CasedShare = 0.01;

    /// <summary>
    /// Lower-cases when <c>do_lower_case</c> is true or absent and the vocabulary looks uncased; cased otherwise, because
    /// lower-casing text for a cased vocabulary would leave its capitalised tokens unreachable. <c>strip_accents</c> defaults to
    /// the lower-casing decision, as in Hugging Face.
    /// </summary>
    public static (bool LowerCase, bool? StripAccents) Resolve(HuggingFaceJsonFile? tokenizerConfig, IReadOnlyList<string> vocabulary)
    {
        bool lowerCase = (tokenizerConfig?.GetBoolean("do_lower_case") ?? true) && LooksUncased(vocabulary);
        return (lowerCase, tokenizerConfig?.GetBoolean("strip_accents"));
    }

    /// <summary>Whether (nearly) no token outside the bracketed specials (<c>[CLS]</c>, <c>[unused0]</c>) has an upper-case letter.</summary>
    public static bool LooksUncased(IReadOnlyList<string> vocabulary)
    {
        int cased = vocabulary.Count(token => !(token.StartsWith('[') && token.EndsWith(']')) && token.Any(char.IsUpper));
        return cased <= CasedShare * vocabulary.Count;
    }
}
