using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>Options of <see cref="SoftPromptEstimator"/>: the frozen backbone, the template and verbalizer, columns and training.</summary>
public sealed class SoftPromptOptions
{
    /// <summary>The backbone: a Hugging Face model folder or hub id (<c>org/name[@revision]</c>). Required.</summary>
    public string Backbone { get; set; } = "";

    /// <summary>The template; null uses <c>{soft:N}{mask}{text_a}{text_b?}</c> for masked LMs and <c>{soft:N}{text_a}{text_b?}</c> for T5.</summary>
    public string? Template { get; set; }

    /// <summary>Soft tokens of the default template (ignored when <see cref="Template"/> is given).</summary>
    public int PromptLength { get; set; } = 100;

    /// <summary>Input text columns, bound to the template's placeholders by name or else by position.</summary>
    public IList<string> TextColumnNames { get; set; } = new List<string> { "Text" };

    /// <summary>The label column: text, boolean or key.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Label → words; null uses each label's own text as its word.</summary>
    public LabelWords? LabelWords { get; set; }

    public MultiTokenHandling MultiTokenHandling { get; set; } = MultiTokenHandling.First;

    /// <summary>How the prompt starts (random, sampled vocabulary, a text, or an existing prompt for transfer).</summary>
    public PromptInitializerOptions Initialization { get; set; } = new();

    public SoftPromptTrainerOptions Trainer { get; set; } = new();

    /// <summary>Rows to validate on every <see cref="SoftPromptTrainerOptions.EvaluateEverySteps"/> steps; the best prompt is kept.</summary>
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

    /// <summary>Checks the values; messages name the option at fault.</summary>
    /// <summary>A copy whose lists and initialisation options can change without touching this one (the trainer options are a record).</summary>
    internal SoftPromptOptions Clone()
    {
        var copy = (SoftPromptOptions)MemberwiseClone();
        copy.TextColumnNames = TextColumnNames.ToList();
        copy.Initialization = Initialization.Clone();
        return copy;
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Backbone))
            throw new ArgumentException("SoftPromptOptions.Backbone must name a model folder or hub id.", nameof(Backbone));
        if (TextColumnNames is null || TextColumnNames.Count == 0 || TextColumnNames.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("SoftPromptOptions.TextColumnNames must list at least one column.", nameof(TextColumnNames));
        if (string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException("SoftPromptOptions.LabelColumnName is empty.", nameof(LabelColumnName));
        if (Template is null && PromptLength is < 1 or > PromptTemplate.MaxSoftTokens)
            throw new ArgumentOutOfRangeException(nameof(PromptLength), PromptLength, $"PromptLength must lie in [1, {PromptTemplate.MaxSoftTokens}].");
        if (InferenceBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InferenceBatchSize), InferenceBatchSize, "InferenceBatchSize must be positive.");
        if (MaxLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be positive.");
        Trainer.Validate();
    }
}
