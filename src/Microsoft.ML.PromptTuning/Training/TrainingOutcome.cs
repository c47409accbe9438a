using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>What a <see cref="TrainingLoop"/> ends with: the kept parameters (CPU copies, owned until taken) and the run's record.</summary>
internal sealed class TrainingOutcome : TrainingResult
{
    private readonly Dictionary<string, Tensor> _parameters;

    public TrainingOutcome(Dictionary<string, Tensor> parameters, IReadOnlyList<LearningCurvePoint> curve, int steps, int? bestStep, double? bestMetric, bool stoppedEarly, TimeSpan wallTime)
        : base(curve, steps, bestStep, bestMetric, stoppedEarly, wallTime) => _parameters = parameters;

    /// <summary>The kept parameters by name: the best validated ones, or the last ones without validation.</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters => _parameters;

    /// <summary>Hands parameter <paramref name="name"/> over to the caller, who then owns it.</summary>
    public Tensor Take(string name)
    {
        var tensor = _parameters[name];
        _parameters.Remove(name);
        return tensor;
    }

    public override void Dispose()
    {
        foreach (var tensor in _parameters.Values)
            tensor.Dispose();
        _parameters.Clear();
    }
}
