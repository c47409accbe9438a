namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>Collects progress reports on the reporting thread (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];
    private readonly Action<T>? _onReport;

    /// <summary>Collects reports and, when given, also hands each to <paramref name="onReport"/>.</summary>
    public SynchronousProgress(Action<T>? onReport = null) => _onReport = onReport;

    public IReadOnlyList<T> Reports
    {
        get
        {
            lock (_reports)
                return _reports.ToArray();
        }
    }

    public void Report(T value)
    {
        lock (_reports)
            _reports.Add(value);
        _onReport?.Invoke(value);
    }
}
