namespace Microsoft.ML.PromptTuning.Training;

/// <summary>
/// Linear warmup to a peak learning rate, then constant or linear decay reaching zero at <c>TotalSteps</c>, as Hugging Face's
/// linear schedule decays (the last step taken runs at <c>1/(TotalSteps − WarmupSteps)</c> of the peak). Warmup counts the
/// current step, so its first step already learns (at <c>1/WarmupSteps</c> of the peak, where Hugging Face's runs at zero).
/// </summary>
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
