namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>Collects progress reports on the reporting thread (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];

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
    }
}
