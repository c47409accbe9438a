using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>
/// RoBERTa's byte-level BPE (<c>vocab.json</c> + <c>merges.txt</c>) over Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>
/// with the GPT-2 pre-tokenization regex. Special tokens <c>&lt;s&gt;</c>, <c>&lt;pad&gt;</c>, <c>&lt;/s&gt;</c>,
/// <c>&lt;unk&gt;</c> and <c>&lt;mask&gt;</c> are recognised in text; <c>&lt;mask&gt;</c> absorbs the whitespace before it.
/// </summary>
public sealed class RobertaBpeTokenizer : ModelTokenizer
{
    /// <summary>The GPT-2 / RoBERTa pre-tokenization pattern (Hugging Face's <c>ByteLevel</c> pre-tokenizer).</summary>
    private static readonly Regex Gpt2Pattern = new(
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.Compiled);

    private readonly BpeTokenizer _bpe;
    private readonly IReadOnlyDictionary<string, int> _vocabulary;
    private readonly string?[] _tokens;
    private readonly AddedTokenSplitter _addedTokens;
    private readonly HashSet<int> _specialIds;

    private RobertaBpeTokenizer(BpeTokenizer bpe, IReadOnlyDictionary<string, int> vocabulary, SpecialTokens special)
    {
        _bpe = bpe;
        _vocabulary = vocabulary;
        _tokens = new string?[vocabulary.Values.Max() + 1];
        foreach ((string token, int id) in vocabulary)
            _tokens[id] = token;
        Special = special;
        _specialIds = [special.PadId, special.BosId!.Value, special.EosId, special.MaskId!.Value, special.UnknownId!.Value];
        _addedTokens = new AddedTokenSplitter(
        [
            new AddedToken(RobertaVocabularyFiles.Bos, special.BosId.Value),
            new AddedToken(RobertaVocabularyFiles.Pad, special.PadId),
            new AddedToken(RobertaVocabularyFiles.Eos, special.EosId),
            new AddedToken(RobertaVocabularyFiles.Unknown, special.UnknownId.Value),
            new AddedToken(RobertaVocabularyFiles.Mask, special.MaskId.Value, StripLeft: true),
        ]);
    }

    /// <inheritdoc/>
    public override int VocabularySize => _tokens.Length;

    /// <inheritdoc/>
    public override SpecialTokens Special { get; }

    /// <summary>Loads a RoBERTa tokenizer from its <c>vocab.json</c> and <c>merges.txt</c>.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or lacks one of the five special tokens; the message names it.</exception>
    public static RobertaBpeTokenizer FromFiles(string vocabJsonPath, string mergesPath)
    {
        Dictionary<string, int> vocabulary = RobertaVocabularyFiles.ReadVocabulary(vocabJsonPath);
        List<string> merges = RobertaVocabularyFiles.ReadMerges(mergesPath);
        SpecialTokens special = RobertaVocabularyFiles.FindSpecialTokens(vocabulary, vocabJsonPath);
        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
            {
                Merges = merges,
                ByteLevel = true,
                PreTokenizer = new RegexPreTokenizer(Gpt2Pattern, specialTokens: null),
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"The BPE files {vocabJsonPath} and {mergesPath} could not be loaded ({e.GetType().Name}): {e.Message}", e);
        }
        return new RobertaBpeTokenizer(bpe, vocabulary, special);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<int> EncodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _addedTokens.Encode(text, plain => _bpe.EncodeToIds(plain));
    }

    /// <inheritdoc/>
    public override IReadOnlyList<int> AddSpecialTokens(IReadOnlyList<int> first, IReadOnlyList<int>? second = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        int bos = Special.BosId!.Value, eos = Special.EosId;
        var ids = new List<int>(first.Count + (second?.Count ?? 0) + 4) { bos };
        ids.AddRange(first);
        ids.Add(eos);
        if (second is not null)
        {
            ids.Add(eos);
            ids.AddRange(second);
            ids.Add(eos);
        }
        return ids;
    }

    /// <inheritdoc/>
    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        List<int> kept = CheckedIds(ids);
        if (skipSpecialTokens)
            kept.RemoveAll(_specialIds.Contains);
        foreach (int id in kept)
            if (_tokens[id] is null)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is not in the vocabulary.");
        return _bpe.Decode(kept);
    }

    /// <inheritdoc/>
    public override int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _vocabulary.TryGetValue(token, out int id) ? id : null;
    }

    /// <inheritdoc/>
    public override string? IdToToken(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;
}
