using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>What a <see cref="TrainingLoop"/> ends with: the kept parameters (CPU copies, owned until taken) and the run's record.</summary>
internal sealed class TrainingOutcome : IDisposable
{
    private readonly Dictionary<string, Tensor> _parameters;

    public TrainingOutcome(Dictionary<string, Tensor> parameters, IReadOnlyList<LearningCurvePoint> curve, int steps, int? bestStep, double? bestMetric, bool stoppedEarly, TimeSpan wallTime)
    {
        _parameters = parameters;
        LearningCurve = curve;
        Steps = steps;
        BestStep = bestStep;
        BestValidationMetric = bestMetric;
        StoppedEarly = stoppedEarly;
        WallTime = wallTime;
    }

    /// <summary>The kept parameters by name: the best validated ones, or the last ones without validation.</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters => _parameters;

    public IReadOnlyList<LearningCurvePoint> LearningCurve { get; }
    public int Steps { get; }
    public int? BestStep { get; }
    public double? BestValidationMetric { get; }
    public bool StoppedEarly { get; }
    public TimeSpan WallTime { get; }

    /// <summary>Hands parameter <paramref name="name"/> over to the caller, who then owns it.</summary>
    public Tensor Take(string name)
    {
        var tensor = _parameters[name];
        _parameters.Remove(name);
        return tensor;
    }

    public void Dispose()
    {
        foreach (var tensor in _parameters.Values)
            tensor.Dispose();
        _parameters.Clear();
    }
}
