using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// What the estimators that end in a soft-prompt classifier share: the input and label columns, the verbalizer's words,
/// validation rows, the output columns, progress and cancellation.
/// </summary>
public abstract class TextClassifierOptions
{
    private protected TextClassifierOptions()
    {
    }

    /// <summary>Input text columns, bound to the template's placeholders by name or else by position.</summary>
    public IList<string> TextColumnNames { get; set; } = new List<string> { "Text" };

    /// <summary>The label column: text, boolean or key.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Label → words; null uses the words the estimator documents (at least each label's own text).</summary>
    public LabelWords? LabelWords { get; set; }

    public MultiTokenHandling MultiTokenHandling { get; set; } = MultiTokenHandling.First;

    /// <summary>Rows scored every <see cref="SoftPromptTrainerOptions.EvaluateEverySteps"/> steps (accuracy); the best parameters are kept.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Maximum input length; null uses the backbone's.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Rows per forward pass when scoring.</summary>
    public int InferenceBatchSize { get; set; } = PromptClassifier.DefaultBatchSize;

    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>For boolean labels: the column holding P(true), for <c>BinaryClassification.Evaluate</c>.</summary>
    public string ProbabilityColumnName { get; set; } = "Probability";

    /// <summary>Optional listener of training progress (ML.NET's log also receives every evaluation).</summary>
    public IProgress<SoftPromptTrainingProgress>? Progress { get; set; }

    /// <summary>Stops training (after the current step; a checkpoint is written when a folder is set).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Checks the shared values; messages name the option at fault.</summary>
    private protected void ValidateColumns()
    {
        string options = GetType().Name;
        if (TextColumnNames is null || TextColumnNames.Count == 0 || TextColumnNames.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"{options}.TextColumnNames must list at least one column.", nameof(TextColumnNames));
        if (string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException($"{options}.LabelColumnName is empty.", nameof(LabelColumnName));
        if (InferenceBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InferenceBatchSize), InferenceBatchSize, "InferenceBatchSize must be positive.");
        if (MaxLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be positive.");
    }
}
