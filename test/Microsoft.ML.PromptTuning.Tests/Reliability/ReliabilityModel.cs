using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.MLNet;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Tests.Reliability;

/// <summary>The small soft-prompt model the concurrency and memory tests serve: roberta-tiny, a 4-token prompt, a few steps.</summary>
internal static class ReliabilityModel
{
    /// <summary>Estimator options on <paramref name="backbone"/> training for <paramref name="steps"/> steps.</summary>
    public static SoftPromptOptions Options(string backbone, int steps = 4) => new()
    {
        Backbone = backbone,
        Template = "{soft:4}{mask}{text_a}",
        LabelWords = LabelWords.Of(("negative", ["bad"]), ("positive", ["good"])),
        Trainer = new SoftPromptTrainerOptions { LearningRate = 0.05, BatchSize = 4, MaxSteps = steps, EvaluateEverySteps = steps },
    };

    /// <summary><paramref name="count"/> different texts of different lengths (consecutive ones always differ).</summary>
    public static string[] Texts(int count) => Enumerable.Range(0, count)
        .Select(i => $"review {i}: {string.Join(' ', Enumerable.Repeat(i % 3 == 0 ? "good" : "boring", 1 + i % 7))} film")
        .ToArray();
}

/// <summary>The input row of a <see cref="PredictionEngine{TSrc, TDst}"/> over the test models.</summary>
internal sealed class ReviewText
{
    public string Text { get; set; } = "";
}

/// <summary>The output row of a <see cref="PredictionEngine{TSrc, TDst}"/> over the test models.</summary>
internal sealed class ReviewPrediction
{
    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];
}
