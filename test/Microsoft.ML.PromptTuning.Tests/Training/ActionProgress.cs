namespace Microsoft.ML.PromptTuning.Tests.Training;

/// <summary>An <see cref="IProgress{T}"/> that runs an action on the reporting thread (tests record or cancel on it).</summary>
internal sealed class ActionProgress<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
