using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>The outcome of prompt training. Owns <see cref="Prompt"/>.</summary>
public sealed class SoftPromptTrainingResult : IDisposable
{
    internal SoftPromptTrainingResult(Tensor prompt, IReadOnlyList<LearningCurvePoint> curve, int steps, int? bestStep, double? bestMetric, bool stoppedEarly, TimeSpan wallTime)
    {
        Prompt = prompt;
        LearningCurve = curve;
        Steps = steps;
        BestStep = bestStep;
        BestValidationMetric = bestMetric;
        StoppedEarly = stoppedEarly;
        WallTime = wallTime;
    }

    /// <summary>The best validated prompt <c>[N, hidden]</c> (CPU, float32), or the last one when there was no validation set.</summary>
    public Tensor Prompt { get; }

    /// <summary>(step, wall time, training loss, validation accuracy) at every evaluation.</summary>
    public IReadOnlyList<LearningCurvePoint> LearningCurve { get; }

    /// <summary>Optimisation steps taken.</summary>
    public int Steps { get; }

    /// <summary>The step whose prompt was kept (null without validation).</summary>
    public int? BestStep { get; }

    /// <summary>Validation accuracy of the kept prompt (null without validation).</summary>
    public double? BestValidationMetric { get; }

    /// <summary>True when early stopping ended training.</summary>
    public bool StoppedEarly { get; }

    public TimeSpan WallTime { get; }

    public void Dispose() => Prompt.Dispose();
}
