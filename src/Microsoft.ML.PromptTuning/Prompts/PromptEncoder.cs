using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// Lays out rows (placeholder name → text) as model inputs for one <see cref="PromptTemplate"/> and tokenizer:
/// <c>[P1 … Pn] &lt;s&gt; &lt;mask&gt; text_a text_b &lt;/s&gt;</c> for RoBERTa, <c>[P…] [CLS] [MASK] … [SEP]</c> for BERT,
/// <c>[P…] text … &lt;/s&gt;</c> for T5. Instances are immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// <para>Soft tokens that open the template come before the start token, as PEFT prepends virtual tokens to
/// <c>inputs_embeds</c>; soft tokens further in stay where the template puts them. Everything else sits between the family's
/// special tokens as one sequence.</para>
/// <para>Each piece is encoded on its own, as OpenPrompt does. A text gets a leading space unless it is the first hard content,
/// so byte-level BPE sees the word-initial form (<c>" great"</c> → <c>Ġgreat</c>); WordPiece and SentencePiece ignore the
/// space. Literal text is encoded as written, except that its trailing spaces are dropped: they only separate the literal
/// from the next part, and a text brings its own space while RoBERTa's <c>&lt;mask&gt;</c> absorbs the one before it.</para>
/// <para>When a row is too long, only texts are shortened (longest first, from their ends); soft tokens, the mask, literals
/// and special tokens are never cut.</para>
/// </remarks>
public sealed class PromptEncoder
{
    private readonly EncoderStep[] _steps;
    private readonly SpecialTokenLayout _specials;
    private readonly int _fixedTokens;

    /// <summary>Prepares the encoder; literals are tokenized once here.</summary>
    /// <param name="template">The template to fill.</param>
    /// <param name="tokenizer">The backbone's tokenizer.</param>
    /// <param name="maxLength">The longest sequence allowed, soft tokens included (the backbone's <c>MaxSequenceLength</c>).</param>
    /// <param name="allowEmptyText">Accept empty or whitespace-only texts for required placeholders (they contribute no tokens)
    /// instead of throwing.</param>
    /// <exception cref="ArgumentException">The template has <c>{mask}</c> but the tokenizer no mask token, a literal contains
    /// the mask token, or soft tokens, literals, mask and special tokens alone exceed <paramref name="maxLength"/>.</exception>
    public PromptEncoder(PromptTemplate template, ModelTokenizer tokenizer, int maxLength, bool allowEmptyText = false)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        Template = template;
        Tokenizer = tokenizer;
        MaxLength = maxLength;
        AllowEmptyText = allowEmptyText;
        _specials = SpecialTokenLayout.Of(tokenizer);
        _steps = EncoderStep.Plan(template, tokenizer);
        _fixedTokens = template.SoftTokenCount + _specials.Prefix.Length + _specials.Suffix.Length
                       + _steps.Sum(step => step.LiteralIds?.Length ?? (step.IsMask ? 1 : 0));
        if (_fixedTokens > maxLength)
            throw new ArgumentException(
                $"The template \"{template}\" needs {_fixedTokens} tokens before any text ({template.SoftTokenCount} soft, " +
                $"{_fixedTokens - template.SoftTokenCount} literal, mask and special), more than the maximum length {maxLength}.",
                nameof(maxLength));
    }

    /// <summary>The template being filled.</summary>
    public PromptTemplate Template { get; }

    /// <summary>The tokenizer used for texts and literals.</summary>
    public ModelTokenizer Tokenizer { get; }

    /// <summary>The longest sequence produced, soft tokens included.</summary>
    public int MaxLength { get; }

    /// <summary>Whether empty texts are accepted for required placeholders.</summary>
    public bool AllowEmptyText { get; }

    /// <summary>Encodes a row that has <c>text_a</c> and, optionally, <c>text_b</c>.</summary>
    /// <exception cref="ArgumentException">A text is empty, or the template names a column other than <c>text_a</c>/<c>text_b</c>.</exception>
    public EncodedPrompt Encode(string textA, string? textB = null) =>
        Encode(new Dictionary<string, string?>(StringComparer.Ordinal) { ["text_a"] = textA, ["text_b"] = textB });

    /// <summary>Encodes one row: placeholder (column) name → text.</summary>
    /// <exception cref="ArgumentException">A required placeholder has no text in <paramref name="row"/>, or its text is empty or
    /// whitespace-only (unless <see cref="AllowEmptyText"/>); the message names the column.</exception>
    public EncodedPrompt Encode(IReadOnlyDictionary<string, string?> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        List<int>?[] texts = EncodeTexts(row);
        List<int>[] present = texts.Where(t => t is not null).ToArray()!;
        int truncated = TextTruncation.LongestFirst(present, MaxLength - _fixedTokens);
        return Assemble(texts, truncated);
    }

    /// <summary>Tokenizes each placeholder's text (null where the step is not a placeholder or an optional text is absent).</summary>
    private List<int>?[] EncodeTexts(IReadOnlyDictionary<string, string?> row)
    {
        var texts = new List<int>?[_steps.Length];
        bool hardContentBefore = false;
        for (int i = 0; i < _steps.Length; i++)
        {
            EncoderStep step = _steps[i];
            if (step.Placeholder is { } placeholder)
            {
                string? text = TextOf(row, placeholder);
                if (text is null)
                    continue;
                // A text after other hard content gets a space, so BPE vocabularies see the word-initial form.
                string spaced = hardContentBefore && text.Length > 0 && !char.IsWhiteSpace(text[0]) ? " " + text : text;
                texts[i] = text.Length == 0 ? [] : Tokenizer.EncodeText(spaced).ToList();
                hardContentBefore |= texts[i]!.Count > 0;
            }
            else
            {
                hardContentBefore |= step.IsMask || step.LiteralIds is { Length: > 0 };
            }
        }
        return texts;
    }

    /// <summary>The text of a placeholder; null when an optional one has none, "" for an allowed empty text.</summary>
    private string? TextOf(IReadOnlyDictionary<string, string?> row, PlaceholderPart placeholder)
    {
        bool found = row.TryGetValue(placeholder.Column, out string? text);
        if (!string.IsNullOrWhiteSpace(text))
            return text;
        if (placeholder.IsOptional)
            return null;
        if (!found)
            throw new ArgumentException(
                $"The row has no column '{placeholder.Column}' for the template \"{Template}\" (it has: {string.Join(", ", row.Keys)}).", nameof(row));
        if (AllowEmptyText)
            return "";
        throw new ArgumentException(
            $"The text of column '{placeholder.Column}' is {(text is null ? "missing (null)" : "empty or whitespace-only")}; " +
            "give it text, mark the placeholder optional ({" + placeholder.Column + "?}) or allow empty texts.", nameof(row));
    }

    private EncodedPrompt Assemble(List<int>?[] texts, int truncated)
    {
        int length = _fixedTokens + texts.Sum(t => t?.Count ?? 0);
        var ids = new int[length];
        var softIndex = new int[length];
        Array.Fill(softIndex, -1);
        int position = 0, softRow = 0, maskPosition = -1;
        int padId = Tokenizer.Special.PadId;

        void Add(int id) => ids[position++] = id;
        void AddSoft(int count)
        {
            for (int k = 0; k < count; k++)
            {
                softIndex[position] = softRow++;
                Add(padId);
            }
        }

        int step = 0;
        // The template's leading soft tokens precede the start token, as PEFT prepends them (the spaces between them add nothing).
        for (; step < Template.LeadingPartCount; step++)
            AddSoft(_steps[step].SoftCount);
        foreach (int id in _specials.Prefix)
            Add(id);
        for (; step < _steps.Length; step++)
        {
            EncoderStep current = _steps[step];
            if (current.SoftCount > 0)
                AddSoft(current.SoftCount);
            else if (current.IsMask)
            {
                maskPosition = position;
                Add(current.MaskId);
            }
            else
                foreach (int id in current.LiteralIds ?? (IEnumerable<int>?)texts[step] ?? [])
                    Add(id);
        }
        foreach (int id in _specials.Suffix)
            Add(id);
        System.Diagnostics.Debug.Assert(position == length && softRow == Template.SoftTokenCount);
        return new EncodedPrompt(ids, softIndex, maskPosition, softRow, truncated);
    }
}
