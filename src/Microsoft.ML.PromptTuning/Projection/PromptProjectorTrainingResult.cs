using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>The outcome of projector training (the validation metric is the accuracy averaged over the validation tasks). Owns <see cref="Projector"/>.</summary>
public sealed class PromptProjectorTrainingResult : TrainingResult
{
    internal PromptProjectorTrainingResult(PromptProjector projector, TrainingResult run) : base(run) => Projector = projector;

    /// <summary>The best validated projector, or the last one when there was no validation set.</summary>
    public PromptProjector Projector { get; }

    public override void Dispose() => Projector.Dispose();
}
