namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// One piece of a <see cref="PromptTemplate"/>: a run of soft tokens, the mask, a text placeholder or literal text.
/// <see cref="ToString"/> writes the piece back in template syntax.
/// </summary>
public abstract record TemplatePart
{
    private protected TemplatePart()
    {
    }

    /// <summary>The piece in template syntax (<c>{soft:20}</c>, <c>{mask}</c>, <c>{text_a}</c>, <c>It was</c>).</summary>
    public abstract override string ToString();
}
