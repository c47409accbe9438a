namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Settings of a pre-training run (masked LM or span corruption).</summary>
public sealed record PretrainingOptions
{
    /// <summary>Model input length in tokens (special tokens included).</summary>
    public int SequenceLength { get; init; } = 128;

    /// <summary>Sequences per optimisation step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Total optimisation steps; the learning rate decays linearly to zero at the last one.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Peak AdamW learning rate.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Steps of linear warmup to the peak learning rate.</summary>
    public int WarmupSteps { get; init; } = 60;

    /// <summary>AdamW decoupled weight decay (not applied to biases and norms).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Global gradient-norm clipping threshold.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Seed of data order, corruption and dropout: the same seed gives the same run.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Write a resumable checkpoint every this many steps.</summary>
    public int CheckpointEverySteps { get; init; } = 100;

    /// <summary>Held-out windows evaluated at the end (all of them when fewer).</summary>
    public int EvaluationWindows { get; init; } = 2048;

    /// <summary>Checks the values; messages name the field at fault.</summary>
    public void Validate()
    {
        if (SequenceLength < 8) throw new ArgumentOutOfRangeException(nameof(SequenceLength), SequenceLength, "SequenceLength must be at least 8.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be positive.");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive.");
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "WarmupSteps cannot be negative.");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay cannot be negative.");
        if (!(MaxGradNorm > 0)) throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), MaxGradNorm, "MaxGradNorm must be positive.");
        if (CheckpointEverySteps < 1) throw new ArgumentOutOfRangeException(nameof(CheckpointEverySteps), CheckpointEverySteps, "CheckpointEverySteps must be positive.");
        if (EvaluationWindows < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationWindows), EvaluationWindows, "EvaluationWindows must be positive.");
    }
}
