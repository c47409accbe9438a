namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>
/// A model family's tokenizer with Hugging Face's id-level behaviour: plain encoding, the family's special-token layout for
/// single texts and pairs, decoding, and token ↔ id lookups. Instances are immutable and safe to share between threads.
/// </summary>
public abstract class ModelTokenizer
{
    /// <summary>The size of the id space, added tokens included (roberta-base 50,265; bert-base-uncased 30,522; T5 32,100).</summary>
    public abstract int VocabularySize { get; }

    /// <summary>The family's special-token ids.</summary>
    public abstract SpecialTokens Special { get; }

    /// <summary>Encodes <paramref name="text"/> without adding special tokens; special tokens written literally in it are kept.</summary>
    public abstract IReadOnlyList<int> EncodeText(string text);

    /// <summary>Encodes one text with the family's special tokens (<c>&lt;s&gt; … &lt;/s&gt;</c>, <c>[CLS] … [SEP]</c>, <c>… &lt;/s&gt;</c>).</summary>
    public virtual IReadOnlyList<int> Encode(string text) => AddSpecialTokens(EncodeText(text));

    /// <summary>Encodes a text pair in the family's layout (<c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c>,
    /// <c>[CLS] A [SEP] B [SEP]</c>, <c>A &lt;/s&gt; B &lt;/s&gt;</c>).</summary>
    public virtual IReadOnlyList<int> Encode(string textA, string textB) => AddSpecialTokens(EncodeText(textA), EncodeText(textB));

    /// <summary>Wraps already encoded ids (for example after truncation) in the family's special tokens, as
    /// <see cref="Encode(string)"/> and <see cref="Encode(string, string)"/> do.</summary>
    public abstract IReadOnlyList<int> AddSpecialTokens(IReadOnlyList<int> first, IReadOnlyList<int>? second = null);

    /// <summary>How many special tokens <see cref="AddSpecialTokens"/> adds to a single text or to a pair.</summary>
    public int SpecialTokenCount(bool pair) => AddSpecialTokens([], pair ? [] : null).Count;

    /// <summary>Turns ids back into text; with <paramref name="skipSpecialTokens"/> the family's special tokens are dropped.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id lies outside <c>[0, VocabularySize)</c>.</exception>
    public abstract string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true);

    /// <summary>The id of a vocabulary token in its stored spelling (<c>"Ġgood"</c>, <c>"##ing"</c>, <c>"&lt;extra_id_0&gt;"</c>), or null.</summary>
    public abstract int? TokenToId(string token);

    /// <summary>The stored spelling of the token with this id, or null when the id is not in the vocabulary.</summary>
    public abstract string? IdToToken(int id);

    /// <summary>
    /// Loads the tokenizer of a Hugging Face model folder: <c>spiece.model</c> → T5, <c>vocab.json</c> + <c>merges.txt</c> →
    /// RoBERTa, <c>vocab.txt</c> → BERT; when several are present, <c>config.json</c>'s <c>model_type</c> (or
    /// <c>tokenizer_config.json</c>'s <c>tokenizer_class</c>) decides.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder holds none of the tokenizer files.</exception>
    /// <exception cref="InvalidDataException">A tokenizer or configuration file is malformed; the message names it.</exception>
    public static ModelTokenizer FromDirectory(string directory) => TokenizerDirectory.Load(directory);

    /// <summary>Copies <paramref name="ids"/> to a list after checking each lies in <c>[0, VocabularySize)</c>.</summary>
    private protected List<int> CheckedIds(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var list = ids.ToList();
        foreach (int id in list)
            if ((uint)id >= (uint)VocabularySize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the vocabulary [0, {VocabularySize}).");
        return list;
    }
}
