using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>
/// Transfer as initialisation: the target's prompt trained from the source's prompt and from a random prompt with identical
/// settings; both learning curves, the speed-up to 90 % and 100 % of the random run's best validation metric, and the final
/// metrics of both kept prompts on the target's evaluation rows.
/// </summary>
public sealed record InitializationTransfer(
    string Source,
    string Target,
    IReadOnlyList<LearningCurvePoint> RandomCurve,
    IReadOnlyList<LearningCurvePoint> TransferCurve,
    IReadOnlyList<ThresholdCrossing> Crossings,
    TaskScore RandomFinal,
    TaskScore TransferFinal,
    double RandomWallSeconds,
    double TransferWallSeconds)
{
    /// <summary>Final metric of the transferred initialisation minus that of the random one (accuracy points, 0–1 scale).</summary>
    public double FinalDifference => TransferFinal.Primary - RandomFinal.Primary;

    /// <summary>The thresholds the speed-up is reported at: 90 % and 100 % of the random run's best validation metric.</summary>
    public static IReadOnlyList<double> Fractions { get; } = [0.9, 1.0];
}
