using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Forwards training progress to the caller, to ML.NET's progress channel (step, loss, validation accuracy) and writes each
/// evaluation to the ML.NET log.
/// </summary>
internal sealed class TrainingProgressLog : IProgress<SoftPromptTrainingProgress>, IDisposable
{
    private readonly MLContext _context;
    private readonly IProgress<SoftPromptTrainingProgress>? _inner;
    private readonly Microsoft.ML.Runtime.IProgressChannel _channel;
    private SoftPromptTrainingProgress? _latest;
    private double? _lastMetric;

    /// <param name="context">The context whose channels receive the progress.</param>
    /// <param name="inner">The caller's listener, if any.</param>
    /// <param name="name">The progress channel's name (e.g. "Soft-prompt training").</param>
    public TrainingProgressLog(MLContext context, IProgress<SoftPromptTrainingProgress>? inner, string name)
    {
        _context = context;
        _inner = inner;
        _channel = ((Microsoft.ML.Runtime.IProgressChannelProvider)context).StartProgressChannel(name);
        _channel.SetHeader(new Microsoft.ML.Runtime.ProgressHeader(["loss", "validation accuracy"], ["step"]), entry =>
        {
            if (_latest is not { } latest)
                return;
            entry.SetProgress(0, latest.Step, latest.MaxSteps);
            entry.SetMetric(0, latest.Loss);
            if (latest.ValidationMetric is double metric)
                entry.SetMetric(1, metric);
        });
    }

    public void Report(SoftPromptTrainingProgress value)
    {
        _latest = value;
        _inner?.Report(value);
        if (value.ValidationMetric != _lastMetric)
        {
            _lastMetric = value.ValidationMetric;
            _channel.Checkpoint(value.Loss, value.ValidationMetric);
            PromptTuningLog.Info(_context, $"step {value.Step}/{value.MaxSteps}: loss {value.Loss:F4}, validation accuracy {value.ValidationMetric:P2} (best {value.BestValidationMetric:P2})");
        }
    }

    public void Dispose() => _channel.Dispose();
}
