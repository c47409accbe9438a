namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>The outcome of a pre-training run.</summary>
public sealed record PretrainingResult
{
    public required int Steps { get; init; }
    public required long TokensSeen { get; init; }
    public required TimeSpan WallTime { get; init; }
    /// <summary>Mean training loss over the last steps (up to 50).</summary>
    public required double FinalTrainingLoss { get; init; }
    public required PretrainingEvaluation HeldOut { get; init; }
    /// <summary>(step, training loss) at every step, for learning curves.</summary>
    public required IReadOnlyList<(int Step, double Loss)> LossCurve { get; init; }
    /// <summary>True when the run continued from a checkpoint.</summary>
    public bool Resumed { get; init; }
}
