namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// One row laid out by a <see cref="PromptEncoder"/>: the full input sequence with its soft slots marked, and where the mask is.
/// Soft slots hold the pad id in <see cref="InputIds"/>; their embeddings come from the prompt tensor (see <see cref="PromptBatch"/>).
/// </summary>
public sealed class EncodedPrompt
{
    private readonly int[] _softIndex;

    internal EncodedPrompt(int[] inputIds, int[] softIndex, int maskPosition, int softTokenCount, int truncatedTokens)
    {
        System.Diagnostics.Debug.Assert(inputIds.Length == softIndex.Length);
        InputIds = Array.AsReadOnly(inputIds);
        SoftIndex = Array.AsReadOnly(softIndex);
        _softIndex = softIndex;
        MaskPosition = maskPosition;
        SoftTokenCount = softTokenCount;
        TruncatedTokens = truncatedTokens;
    }

    /// <summary>The token ids <c>[Length]</c>, special tokens included; soft slots hold the pad id.</summary>
    public IReadOnlyList<int> InputIds { get; }

    /// <summary>For each position <c>[Length]</c>, the prompt row that fills it, or -1 for a hard token.</summary>
    public IReadOnlyList<int> SoftIndex { get; }

    /// <summary>The index of <c>{mask}</c> in the full sequence (soft tokens included), or -1 when the template has none.</summary>
    public int MaskPosition { get; }

    /// <summary>The sequence length, which is also the attention length (positions <c>[0, Length)</c> are attended).</summary>
    public int Length => _softIndex.Length;

    /// <summary>The number of soft slots (the template's <see cref="PromptTemplate.SoftTokenCount"/>).</summary>
    public int SoftTokenCount { get; }

    /// <summary>How many text tokens truncation removed to fit the maximum length.</summary>
    public int TruncatedTokens { get; }

    /// <summary>Whether position <paramref name="position"/> is a soft slot.</summary>
    public bool IsSoft(int position) => _softIndex[position] >= 0;
}
