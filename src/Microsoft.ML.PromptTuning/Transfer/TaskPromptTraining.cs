using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>A prompt trained on one task by <see cref="TransferabilityEvaluator.TrainPrompt"/>, with its learning curve. Owns <see cref="Prompt"/>.</summary>
public sealed class TaskPromptTraining : IDisposable
{
    internal TaskPromptTraining(string task, SoftPrompt prompt, IReadOnlyList<LearningCurvePoint> learningCurve, double? bestValidationMetric, int steps, TimeSpan wallTime)
    {
        Task = task;
        Prompt = prompt;
        LearningCurve = learningCurve;
        BestValidationMetric = bestValidationMetric;
        Steps = steps;
        WallTime = wallTime;
    }

    /// <summary>The task the prompt was trained on.</summary>
    public string Task { get; }

    /// <summary>The best validated prompt, with its template, label words and training summary.</summary>
    public SoftPrompt Prompt { get; }

    /// <summary>Validation accuracy (and training loss) at every evaluation.</summary>
    public IReadOnlyList<LearningCurvePoint> LearningCurve { get; }

    /// <summary>Validation accuracy of the kept prompt.</summary>
    public double? BestValidationMetric { get; }

    public int Steps { get; }

    public TimeSpan WallTime { get; }

    public void Dispose() => Prompt.Dispose();
}
