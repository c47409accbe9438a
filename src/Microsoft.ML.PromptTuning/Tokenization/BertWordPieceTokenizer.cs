using Microsoft.ML.Tokenizers;

namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>
/// BERT's WordPiece (<c>vocab.txt</c>) over Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>, uncased (lower-casing and
/// accent stripping, as bert-base-uncased) or cased. <c>[CLS]</c>, <c>[SEP]</c>, <c>[PAD]</c>, <c>[UNK]</c> and <c>[MASK]</c>
/// are recognised when written in text with that exact spelling.
/// </summary>
public sealed class BertWordPieceTokenizer : ModelTokenizer
{
    private const string Cls = "[CLS]", Sep = "[SEP]", Pad = "[PAD]", Unknown = "[UNK]", Mask = "[MASK]";

    private readonly BertTokenizer _bert;
    private readonly IReadOnlyList<string> _tokens;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly AddedTokenSplitter _addedTokens;
    private readonly HashSet<int> _specialIds;

    private BertWordPieceTokenizer(BertTokenizer bert, IReadOnlyList<string> tokens, Dictionary<string, int> vocabulary,
        SpecialTokens special, bool lowerCase)
    {
        _bert = bert;
        _tokens = tokens;
        _vocabulary = vocabulary;
        Special = special;
        LowerCase = lowerCase;
        _specialIds = [special.PadId, special.BosId!.Value, special.EosId, special.MaskId!.Value, special.UnknownId!.Value];
        _addedTokens = new AddedTokenSplitter(
        [
            new AddedToken(Cls, special.BosId.Value),
            new AddedToken(Sep, special.EosId),
            new AddedToken(Pad, special.PadId),
            new AddedToken(Unknown, special.UnknownId.Value),
            new AddedToken(Mask, special.MaskId.Value),
        ]);
    }

    /// <inheritdoc/>
    public override int VocabularySize => _tokens.Count;

    /// <inheritdoc/>
    public override SpecialTokens Special { get; }

    /// <summary>Whether text is lower-cased before lookup (an uncased vocabulary).</summary>
    public bool LowerCase { get; }

    /// <summary>Loads a BERT tokenizer from <c>vocab.txt</c> (one token per line, the line number being its id).</summary>
    /// <param name="vocabPath">The vocabulary file.</param>
    /// <param name="lowerCase">Lower-case text first, for uncased vocabularies.</param>
    /// <param name="stripAccents">Remove accents (non-spacing marks after NFD); null follows <paramref name="lowerCase"/>, as in Hugging Face.</param>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The vocabulary is empty or lacks a special token; the message names the file.</exception>
    public static BertWordPieceTokenizer FromFile(string vocabPath, bool lowerCase = true, bool? stripAccents = null) =>
        FromLines(vocabPath, ReadVocabularyLines(vocabPath), lowerCase, stripAccents);

    /// <summary>Builds the tokenizer from vocabulary lines already read from <paramref name="vocabPath"/>.</summary>
    internal static BertWordPieceTokenizer FromLines(string vocabPath, IReadOnlyList<string> tokens, bool lowerCase, bool? stripAccents)
    {
        var vocabulary = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int id = 0; id < tokens.Count; id++)
            vocabulary[tokens[id]] = id;   // a repeated token keeps its last id, as Hugging Face's load_vocab does
        int Find(string token) => vocabulary.TryGetValue(token, out int id)
            ? id
            : throw new InvalidDataException($"{vocabPath} lacks the BERT special token '{token}'.");
        var special = new SpecialTokens(PadId: Find(Pad), BosId: Find(Cls), EosId: Find(Sep), MaskId: Find(Mask), UnknownId: Find(Unknown));

        BertTokenizer bert;
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', tokens)));
            bert = BertTokenizer.Create(stream, new BertOptions
            {
                LowerCaseBeforeTokenization = lowerCase,
                RemoveNonSpacingMarks = stripAccents ?? lowerCase,
                IndividuallyTokenizeCjk = true,
                // Special tokens are split off by AddedTokenSplitter with Hugging Face's case-sensitive matching;
                // the library would also match "[mask]" after lower-casing.
                SplitOnSpecialTokens = false,
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"The WordPiece vocabulary {vocabPath} could not be loaded ({e.GetType().Name}): {e.Message}", e);
        }
        return new BertWordPieceTokenizer(bert, tokens, vocabulary, special, lowerCase);
    }

    /// <summary>Reads the lines of <c>vocab.txt</c>; an empty vocabulary is an error.</summary>
    internal static IReadOnlyList<string> ReadVocabularyLines(string vocabPath)
    {
        var tokens = File.ReadAllLines(vocabPath).ToList();
        while (tokens.Count > 0 && tokens[^1].Length == 0)
            tokens.RemoveAt(tokens.Count - 1);   // a trailing newline is not a token
        if (tokens.Count == 0)
            throw new InvalidDataException($"{vocabPath} holds no tokens.");
        return tokens;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<int> EncodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _addedTokens.Encode(text, plain => _bert.EncodeToIds(plain, addSpecialTokens: false));
    }

    /// <inheritdoc/>
    public override IReadOnlyList<int> AddSpecialTokens(IReadOnlyList<int> first, IReadOnlyList<int>? second = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        var ids = new List<int>(first.Count + (second?.Count ?? 0) + 3) { Special.BosId!.Value };
        ids.AddRange(first);
        ids.Add(Special.EosId);
        if (second is not null)
        {
            ids.AddRange(second);
            ids.Add(Special.EosId);
        }
        return ids;
    }

    /// <summary>
    /// Joins the tokens with spaces, glues <c>##</c> continuations to the previous token and applies Hugging Face's
    /// <c>clean_up_tokenization</c> (<c>" ."</c> → <c>"."</c>, <c>" ' "</c> → <c>"'"</c>, …).
    /// </summary>
    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        List<int> kept = CheckedIds(ids);
        if (skipSpecialTokens)
            kept.RemoveAll(_specialIds.Contains);
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < kept.Count; i++)
        {
            string token = _tokens[kept[i]];
            if (i > 0 && token.StartsWith("##", StringComparison.Ordinal))
                text.Append(token, 2, token.Length - 2);
            else
                text.Append(i > 0 ? " " : "").Append(token);
        }
        return CleanUpTokenizationSpaces(text.ToString());
    }

    /// <inheritdoc/>
    public override int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _vocabulary.TryGetValue(token, out int id) ? id : null;
    }

    /// <inheritdoc/>
    public override string? IdToToken(int id) => (uint)id < (uint)_tokens.Count ? _tokens[id] : null;

    private static string CleanUpTokenizationSpaces(string text) => text
        .Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",").Replace(" ' ", "'")
        .Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s").Replace(" 've", "'ve").Replace(" 're", "'re");
}
