using System.Text;
using Microsoft.ML.Tokenizers;

namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>
/// T5's SentencePiece unigram model (<c>spiece.model</c>) over Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/>,
/// plus T5's sentinel tokens <c>&lt;extra_id_0&gt;</c> … <c>&lt;extra_id_99&gt;</c> placed, in reverse order, after the
/// pieces (32,099 … 32,000 for the standard model). Sequences end with <c>&lt;/s&gt;</c>; T5 has no start or mask token.
/// </summary>
public sealed class T5SentencePieceTokenizer : ModelTokenizer
{
    /// <summary>The number of sentinel tokens of the standard T5 checkpoints.</summary>
    public const int DefaultExtraIds = 100;

    private readonly SentencePieceTokenizer _sentencePiece;
    private readonly IReadOnlyList<string> _pieces;
    private readonly Dictionary<string, int> _pieceIds;
    private readonly AddedTokenSplitter _addedTokens;
    private readonly HashSet<int> _specialIds;

    private T5SentencePieceTokenizer(SentencePieceTokenizer sentencePiece, SentencePieceModelFile model, int extraIds)
    {
        _sentencePiece = sentencePiece;
        _pieces = model.Pieces;
        _pieceIds = new Dictionary<string, int>(_pieces.Count, StringComparer.Ordinal);
        for (int id = _pieces.Count - 1; id >= 0; id--)
            _pieceIds[_pieces[id]] = id;   // SentencePiece resolves a repeated piece to its first id
        ExtraIds = extraIds;
        Special = new SpecialTokens(PadId: model.PadId, BosId: null, EosId: model.EndOfSentenceId, MaskId: null, UnknownId: model.UnknownId);
        _specialIds = [model.PadId, model.EndOfSentenceId, model.UnknownId];
        var addedTokens = new List<AddedToken>
        {
            new(_pieces[model.PadId], model.PadId),
            new(_pieces[model.EndOfSentenceId], model.EndOfSentenceId),
            new(_pieces[model.UnknownId], model.UnknownId),
        };
        for (int sentinel = 0; sentinel < extraIds; sentinel++)
        {
            addedTokens.Add(new AddedToken(SentinelText(sentinel), SentinelId(sentinel)));
            _specialIds.Add(SentinelId(sentinel));
        }
        _addedTokens = new AddedTokenSplitter(addedTokens.DistinctBy(t => t.Text));
    }

    /// <summary>The number of sentinel tokens (<c>extra_ids</c> in <c>tokenizer_config.json</c>).</summary>
    public int ExtraIds { get; }

    /// <inheritdoc/>
    public override int VocabularySize => _pieces.Count + ExtraIds;

    /// <inheritdoc/>
    public override SpecialTokens Special { get; }

    /// <summary>Loads a T5 tokenizer from <c>spiece.model</c>; the file is read, never modified.</summary>
    /// <param name="spieceModelPath">The SentencePiece model file.</param>
    /// <param name="extraIds">How many sentinel tokens follow the pieces.</param>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not a SentencePiece model; the message names it.</exception>
    public static T5SentencePieceTokenizer FromFile(string spieceModelPath, int extraIds = DefaultExtraIds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraIds);
        SentencePieceModelFile model = SentencePieceModelFile.Parse(File.ReadAllBytes(spieceModelPath), spieceModelPath);
        if (model.PadId < 0)
            throw new InvalidDataException($"{spieceModelPath} defines no pad id, which T5 requires.");
        SentencePieceTokenizer sentencePiece;
        try
        {
            using var stream = new MemoryStream(model.LoadableBytes, writable: false);
            sentencePiece = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"The SentencePiece model {spieceModelPath} could not be loaded ({e.GetType().Name}): {e.Message}", e);
        }
        return new T5SentencePieceTokenizer(sentencePiece, model, extraIds);
    }

    /// <summary>The id of sentinel <c>&lt;extra_id_{index}&gt;</c>.</summary>
    public int SentinelId(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ExtraIds);
        return VocabularySize - 1 - index;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<int> EncodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _addedTokens.Encode(text, plain => _sentencePiece.EncodeToIds(plain));
    }

    /// <inheritdoc/>
    public override IReadOnlyList<int> AddSpecialTokens(IReadOnlyList<int> first, IReadOnlyList<int>? second = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        var ids = new List<int>(first.Count + (second?.Count ?? 0) + 2);
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
    /// Concatenates the pieces, turning <c>▁</c> into spaces and dropping the leading space of the first token, as Hugging
    /// Face's Metaspace decoder does. Skipping special tokens drops <c>&lt;pad&gt;</c>, <c>&lt;/s&gt;</c>, <c>&lt;unk&gt;</c>
    /// and the sentinels (Hugging Face's <c>skip_special_tokens</c>).
    /// </summary>
    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        List<int> kept = CheckedIds(ids);
        if (skipSpecialTokens)
            kept.RemoveAll(_specialIds.Contains);
        var text = new StringBuilder();
        for (int i = 0; i < kept.Count; i++)
        {
            string token = IdToToken(kept[i])!;
            int start = i == 0 && token.StartsWith('▁') ? 1 : 0;
            text.Append(token, start, token.Length - start);
        }
        return text.Replace('▁', ' ').ToString();
    }

    /// <inheritdoc/>
    public override int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_pieceIds.TryGetValue(token, out int id))
            return id;
        return TryParseSentinel(token, out int index) ? SentinelId(index) : null;
    }

    /// <inheritdoc/>
    public override string? IdToToken(int id)
    {
        if (id < 0 || id >= VocabularySize)
            return null;
        return id < _pieces.Count ? _pieces[id] : SentinelText(VocabularySize - 1 - id);
    }

    private static string SentinelText(int index) => $"<extra_id_{index}>";

    private bool TryParseSentinel(string token, out int index)
    {
        index = -1;
        const string prefix = "<extra_id_";
        return token.StartsWith(prefix, StringComparison.Ordinal) && token.EndsWith('>')
            && int.TryParse(token.AsSpan(prefix.Length, token.Length - prefix.Length - 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out index)
            && index < ExtraIds && SentinelText(index) == token;
    }
}
