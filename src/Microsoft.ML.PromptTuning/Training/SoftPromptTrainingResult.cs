using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>The outcome of prompt training. Owns <see cref="Prompt"/>.</summary>
public sealed class SoftPromptTrainingResult : TrainingResult
{
    internal SoftPromptTrainingResult(Tensor prompt, TrainingResult run) : base(run) => Prompt = prompt;

    /// <summary>The best validated prompt <c>[N, hidden]</c> (CPU, float32), or the last one when there was no validation set.</summary>
    public Tensor Prompt { get; }

    public override void Dispose() => Prompt.Dispose();
}
