namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

/// <summary>One request received by <see cref="LocalHubServer"/>.</summary>
internal sealed record RecordedRequest(string Method, string Path, string? Authorization);
