using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Sharding;

namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>Options of <see cref="SoftPromptSweeper"/>.</summary>
public sealed class SoftPromptSweeperOptions
{
    /// <summary>Everything the trials share (backbone, columns, label words, <c>Trainer.MaxSteps</c>, …); each trial overrides the tuned values.</summary>
    public SoftPromptOptions BaseOptions { get; set; } = new();

    public SearchSpace<SoftPromptSearchSpace> SearchSpace { get; set; } = new();

    public SweepStrategy Strategy { get; set; } = SweepStrategy.Random;

    /// <summary>Trials to run at most (random search draws this many; a grid is cut to it).</summary>
    public int MaxTrials { get; set; } = 10;

    /// <summary>No new trial (or rung) starts after this much wall time; null has no time limit.</summary>
    public TimeSpan? TimeBudget { get; set; }

    /// <summary>Grid points per numeric range in <see cref="SweepStrategy.Grid"/>.</summary>
    public int GridPointsPerRange { get; set; } = 3;

    /// <summary>
    /// Successive halving: every trial first trains <see cref="MinSteps"/> steps, the best 1/rate go on to rate× more, until
    /// the survivors reach <c>Trainer.MaxSteps</c> (paused trials continue from their checkpoints). Null trains every trial fully.
    /// </summary>
    public int? HalvingRate { get; set; }

    /// <summary>The first rung's steps under successive halving (rounded to the validation grid).</summary>
    public int MinSteps { get; set; } = 100;

    /// <summary>Seed of the random points (trial seeds come from the base options).</summary>
    public int Seed { get; set; }

    /// <summary>Runs only this slice of the trials (independent jobs on several machines); not with successive halving.</summary>
    public ShardSlice Shard { get; set; } = ShardSlice.All;

    /// <summary>Folder for the trials' checkpoints; a temporary folder (deleted afterwards) when null.</summary>
    public string? WorkingDirectory { get; set; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseOptions);
        ArgumentNullException.ThrowIfNull(SearchSpace);
        BaseOptions.Validate();
        if (MaxTrials < 1) throw new ArgumentOutOfRangeException(nameof(MaxTrials), MaxTrials, "MaxTrials must be positive.");
        if (HalvingRate is < 2) throw new ArgumentOutOfRangeException(nameof(HalvingRate), HalvingRate, "HalvingRate must be at least 2.");
        if (MinSteps < 1) throw new ArgumentOutOfRangeException(nameof(MinSteps), MinSteps, "MinSteps must be positive.");
        if (HalvingRate is not null && Shard.Count > 1)
            throw new ArgumentException("Successive halving ranks all trials together, so it cannot run as shards; shard a random or grid sweep instead.");
    }
}
