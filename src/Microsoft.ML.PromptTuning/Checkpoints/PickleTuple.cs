namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>An immutable Python tuple.</summary>
internal sealed class PickleTuple(IReadOnlyList<object?> items)
{
    public IReadOnlyList<object?> Items { get; } = items;

    public override string ToString() => $"tuple of {Items.Count}";
}
