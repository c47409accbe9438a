namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>A run of <paramref name="Count"/> trainable soft tokens: <c>{soft}</c> (one) or <c>{soft:N}</c>.</summary>
/// <param name="Count">How many prompt rows the run takes, at least 1.</param>
public sealed record SoftTokensPart(int Count) : TemplatePart
{
    /// <inheritdoc/>
    public override string ToString() => Count == 1 ? "{soft}" : $"{{soft:{Count}}}";
}
