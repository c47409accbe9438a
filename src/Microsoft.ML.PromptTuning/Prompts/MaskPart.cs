namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>The position whose masked-LM prediction the verbalizer reads: <c>{mask}</c>.</summary>
public sealed record MaskPart : TemplatePart
{
    /// <inheritdoc/>
    public override string ToString() => "{mask}";
}
