using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>
/// When each run of <see cref="InitializationTransfer"/> first reached <see cref="Fraction"/> of the random-init run's best
/// validation metric: steps and wall seconds (null when it never did), and the speed-ups <c>random / transfer</c>.
/// </summary>
public sealed record ThresholdCrossing(double Fraction, double Threshold, int? RandomStep, double? RandomSeconds, int? TransferStep, double? TransferSeconds)
{
    /// <summary>Steps of the random run divided by steps of the transfer run (null when either never reached the threshold).</summary>
    public double? StepSpeedup => RandomStep is int r && TransferStep is int t ? (double)r / t : null;

    /// <summary>Wall time of the random run divided by that of the transfer run.</summary>
    public double? TimeSpeedup => RandomSeconds is double r && TransferSeconds is double t && t > 0 ? r / t : null;

    /// <summary>The crossing of <paramref name="fraction"/> × the best validation metric of <paramref name="random"/>.</summary>
    public static ThresholdCrossing Of(double fraction, IReadOnlyList<LearningCurvePoint> random, IReadOnlyList<LearningCurvePoint> transfer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        double best = random.Select(p => p.ValidationMetric ?? double.NegativeInfinity).DefaultIfEmpty(double.NegativeInfinity).Max();
        if (double.IsNegativeInfinity(best))
            throw new ArgumentException("The random-init run has no validation metric; transfer as initialisation needs validation rows.", nameof(random));
        double threshold = fraction * best;
        var r = First(random, threshold);
        var t = First(transfer, threshold);
        return new ThresholdCrossing(fraction, threshold, r?.Step, r?.ElapsedSeconds, t?.Step, t?.ElapsedSeconds);
    }

    // A tiny tolerance so that a run reaching exactly the best value counts as crossing 100 %.
    private static LearningCurvePoint? First(IReadOnlyList<LearningCurvePoint> curve, double threshold) =>
        curve.FirstOrDefault(p => p.ValidationMetric is double m && m >= threshold - 1e-12);
}
