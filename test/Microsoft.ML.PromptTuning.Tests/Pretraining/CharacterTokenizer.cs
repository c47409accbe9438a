using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>
/// A reversible tokenizer for corpus tests: each ASCII character is its own id, anything else is id 1, and id 0 is
/// <c>&lt;/s&gt;</c>; so a token stream splits back into its documents at the zeros. An optional hook runs on every encode
/// (to cancel or fail a build part-way).
/// </summary>
internal sealed class CharacterTokenizer(Action? onEncode = null) : ModelTokenizer
{
    public const int Eos = 0;
    private const int Unknown = 1;

    public override int VocabularySize => 128;

    public override SpecialTokens Special { get; } = new(PadId: Unknown, BosId: null, EosId: Eos, MaskId: null, UnknownId: Unknown);

    /// <summary>The ids of <paramref name="text"/>.</summary>
    public static int[] Ids(string text) => text.Select(c => c is > '\u0001' and < '\u0080' ? c : Unknown).ToArray();

    /// <summary>The document texts of a token stream (each ended by <see cref="Eos"/>).</summary>
    public static string[] Documents(IEnumerable<int> stream)
    {
        var documents = new List<string>();
        var current = new List<char>();
        foreach (int id in stream)
        {
            if (id == Eos)
            {
                documents.Add(new string(current.ToArray()));
                current.Clear();
            }
            else
            {
                current.Add((char)id);
            }
        }
        Assert.AreEqual(0, current.Count, "The stream does not end with an end-of-sequence token.");
        return documents.ToArray();
    }

    public override IReadOnlyList<int> EncodeText(string text)
    {
        onEncode?.Invoke();
        return Ids(text);
    }

    public override IReadOnlyList<int> AddSpecialTokens(IReadOnlyList<int> first, IReadOnlyList<int>? second = null) =>
        second is null ? [.. first, Eos] : [.. first, Eos, .. second, Eos];

    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) =>
        new(ids.Where(id => !skipSpecialTokens || id != Eos).Select(id => (char)id).ToArray());

    public override int? TokenToId(string token) => token.Length == 1 ? Ids(token)[0] : null;

    public override string? IdToToken(int id) => id is >= 0 and < 128 ? ((char)id).ToString() : null;
}
