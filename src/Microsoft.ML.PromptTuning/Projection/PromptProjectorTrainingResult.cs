using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>The outcome of projector training. Owns <see cref="Projector"/>.</summary>
public sealed class PromptProjectorTrainingResult : IDisposable
{
    internal PromptProjectorTrainingResult(PromptProjector projector, TrainingOutcome outcome)
    {
        Projector = projector;
        LearningCurve = outcome.LearningCurve;
        Steps = outcome.Steps;
        BestStep = outcome.BestStep;
        BestValidationMetric = outcome.BestValidationMetric;
        StoppedEarly = outcome.StoppedEarly;
        WallTime = outcome.WallTime;
    }

    /// <summary>The best validated projector, or the last one when there was no validation set.</summary>
    public PromptProjector Projector { get; }

    /// <summary>(step, wall time, training loss, validation accuracy) at every evaluation.</summary>
    public IReadOnlyList<LearningCurvePoint> LearningCurve { get; }

    /// <summary>Optimisation steps taken.</summary>
    public int Steps { get; }

    /// <summary>The step whose projector was kept (null without validation).</summary>
    public int? BestStep { get; }

    /// <summary>Validation accuracy of the kept projector, averaged over the validation tasks (null without validation).</summary>
    public double? BestValidationMetric { get; }

    /// <summary>True when early stopping ended training.</summary>
    public bool StoppedEarly { get; }

    public TimeSpan WallTime { get; }

    public void Dispose() => Projector.Dispose();
}
