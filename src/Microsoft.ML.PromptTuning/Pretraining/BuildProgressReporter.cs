using System.Diagnostics;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Forwards build progress to the caller at most a few times a second (and always when forced).</summary>
internal sealed class BuildProgressReporter(IProgress<CorpusBuildProgress>? progress)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();

    /// <summary>True when a report should be made now; callers build the report only then.</summary>
    public bool IsDue => progress is not null && _sinceLast.Elapsed >= Interval;

    /// <summary>Sends <paramref name="report"/> and restarts the interval.</summary>
    public void Report(CorpusBuildProgress report)
    {
        if (progress is null)
            return;
        progress.Report(report);
        _sinceLast.Restart();
    }
}
