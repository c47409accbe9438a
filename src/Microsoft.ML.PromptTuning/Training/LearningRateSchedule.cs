namespace Microsoft.ML.PromptTuning.Training;

/// <summary>Linear warmup to a peak learning rate, then constant or linear decay to zero at the last step.</summary>
public sealed record LearningRateSchedule(double PeakLearningRate, int WarmupSteps, int TotalSteps, bool LinearDecay = true)
{
    /// <summary>The learning rate for 0-based <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps)
            return PeakLearningRate * (step + 1) / WarmupSteps;
        if (!LinearDecay || TotalSteps <= WarmupSteps)
            return PeakLearningRate;
        double remaining = Math.Max(0, TotalSteps - step) / (double)(TotalSteps - WarmupSteps);
        return PeakLearningRate * remaining;
    }
}
