namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>
/// A categorical search dimension, shaped like <c>Microsoft.ML.SearchSpace.ChoiceAttribute</c>: the candidates, the first
/// being the default. Candidates known only at run time (e.g. source prompts) are set with <see cref="SearchSpace{T}.WithChoices"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ChoiceAttribute : Attribute
{
    public ChoiceAttribute(params object?[] candidates) => Candidates = candidates;

    public IReadOnlyList<object?> Candidates { get; }
}
