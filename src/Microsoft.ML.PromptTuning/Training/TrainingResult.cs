namespace Microsoft.ML.PromptTuning.Training;

/// <summary>What every training run reports: its learning curve, the steps taken, the kept step and its validation metric, early stopping and wall time.</summary>
public abstract class TrainingResult : IDisposable
{
    private protected TrainingResult(IReadOnlyList<LearningCurvePoint> curve, int steps, int? bestStep, double? bestMetric, bool stoppedEarly, TimeSpan wallTime)
    {
        LearningCurve = curve;
        Steps = steps;
        BestStep = bestStep;
        BestValidationMetric = bestMetric;
        StoppedEarly = stoppedEarly;
        WallTime = wallTime;
    }

    private protected TrainingResult(TrainingResult run)
        : this(run.LearningCurve, run.Steps, run.BestStep, run.BestValidationMetric, run.StoppedEarly, run.WallTime)
    {
    }

    /// <summary>(step, wall time, training loss, validation accuracy) at every evaluation.</summary>
    public IReadOnlyList<LearningCurvePoint> LearningCurve { get; }

    /// <summary>Optimisation steps taken.</summary>
    public int Steps { get; }

    /// <summary>The step whose parameters were kept (null without validation).</summary>
    public int? BestStep { get; }

    /// <summary>Validation accuracy of the kept parameters (null without validation).</summary>
    public double? BestValidationMetric { get; }

    /// <summary>True when early stopping ended training.</summary>
    public bool StoppedEarly { get; }

    public TimeSpan WallTime { get; }

    /// <summary>Releases the tensors or modules the result owns.</summary>
    public abstract void Dispose();
}
