using System.Collections.Concurrent;
using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

/// <summary>An <see cref="IProgress{T}"/> that records reports synchronously (unlike <see cref="Progress{T}"/>) and can react to them.</summary>
internal sealed class RecordingProgress(Action<HubDownloadProgress>? onReport = null) : IProgress<HubDownloadProgress>
{
    private readonly ConcurrentQueue<HubDownloadProgress> reports = new();

    public IReadOnlyList<HubDownloadProgress> Reports => reports.ToArray();

    public void Report(HubDownloadProgress value)
    {
        reports.Enqueue(value);
        onReport?.Invoke(value);
    }
}
