using Microsoft.ML.PromptTuning.Backbones;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>A self-supervised objective: turns raw token windows into a model's loss and token-prediction counts.</summary>
public interface IPretrainingObjective
{
    /// <summary>The model being pre-trained.</summary>
    LanguageModel Model { get; }

    /// <summary>Token ids the objective never asks to predict (excluded from the unigram baseline).</summary>
    IReadOnlyCollection<int> SpecialTokenIds { get; }

    /// <summary>How many corpus tokens one example consumes for a model input of <paramref name="sequenceLength"/> tokens.</summary>
    int WindowLength(int sequenceLength);

    /// <summary>
    /// Corrupts <paramref name="windows"/> (each <see cref="WindowLength"/> corpus tokens) with randomness drawn from
    /// <paramref name="seed"/> only, runs the model and returns the mean loss over predicted tokens with counts for accuracy.
    /// </summary>
    ObjectiveOutput Compute(IReadOnlyList<int[]> windows, long seed, int baselineTokenId);
}

/// <summary>
/// One batch's result: <paramref name="Loss"/> (scalar, mean over predicted tokens), how many target tokens were predicted,
/// how many the model got right (top-1) and how many the unigram baseline (always the most frequent token) got right.
/// </summary>
public sealed record ObjectiveOutput(Tensor Loss, long Targets, long Correct, long BaselineCorrect);
