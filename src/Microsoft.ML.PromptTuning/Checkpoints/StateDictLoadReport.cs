namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>What <see cref="StateDictLoader"/> did: how many tensors it loaded and which checkpoint keys it ignored (e.g. <c>pooler.*</c>).</summary>
public sealed record StateDictLoadReport(int LoadedCount, IReadOnlyList<string> UnusedKeys);
