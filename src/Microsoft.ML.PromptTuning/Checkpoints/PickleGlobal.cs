namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>A Python <c>module.name</c> reference that the unpickler's allow-list admitted.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}
