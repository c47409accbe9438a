using Microsoft.ML.PromptTuning.Projection;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Options of <see cref="PromptProjectorEstimator"/>: the source-model prompt, the target model and how it reads rows, the
/// projection method and its training.
/// </summary>
public sealed class PromptProjectorOptions
{
    /// <summary>Distance Minimizing (needs <see cref="TargetPrompt"/>) or Task Tuning (trains on the data given to <c>Fit</c>).</summary>
    public ProjectionMethod Method { get; set; } = ProjectionMethod.TaskTuning;

    /// <summary>The source model's prompt trained on the task (e.g. <c>SoftPromptTransformer.Prompt</c> or <c>SoftPrompt.Load</c>). Required.</summary>
    public SoftPrompt? SourcePrompt { get; set; }

    /// <summary>Distance Minimizing: the target model's own prompt for the same task. Its backbone, template and label words
    /// are the defaults of <see cref="TargetBackbone"/>, <see cref="Template"/> and <see cref="LabelWords"/>.</summary>
    public SoftPrompt? TargetPrompt { get; set; }

    /// <summary>The target backbone: a model folder or hub id. Required for Task Tuning; defaults to the target prompt's backbone.</summary>
    public string? TargetBackbone { get; set; }

    /// <summary>The target template; null uses the target prompt's, else the source prompt's carried over to the target
    /// family (<see cref="ProjectedTemplate"/>).</summary>
    public string? Template { get; set; }

    /// <summary>Label → words on the target model; null uses the target prompt's, the source prompt's, or the label values.</summary>
    public LabelWords? LabelWords { get; set; }

    /// <summary>Input text columns, bound to the template's placeholders by name or else by position.</summary>
    public IList<string> TextColumnNames { get; set; } = new List<string> { "Text" };

    /// <summary>The label column: text, boolean or key.</summary>
    public string LabelColumnName { get; set; } = "Label";

    public MultiTokenHandling MultiTokenHandling { get; set; } = MultiTokenHandling.First;

    /// <summary>Maximum input length on the target model; null uses the backbone's.</summary>
    public int? MaxLength { get; set; }

    /// <summary>The projector's shape (hidden layer, activation, length change) and training (AdamW at 5e-3, steps, early
    /// stopping, checkpoint folder, seed; the distance of Distance Minimizing).</summary>
    public PromptProjectorTrainerOptions Projector { get; set; } = new();

    /// <summary>Target-task rows scored every <see cref="SoftPromptTrainerOptions.EvaluateEverySteps"/> steps with the projected
    /// prompt (zero-shot accuracy); the best projector is kept. Used by both methods.</summary>
    public IDataView? ValidationData { get; set; }

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

    /// <summary>The target backbone the options resolve to, or null when none is given.</summary>
    internal string? ResolvedTargetBackbone => TargetBackbone ?? (TargetPrompt?.Backbone.NameOrPath is { Length: > 0 } path ? path : null);

    /// <summary>Checks the values; messages name the option at fault.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Method))
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "Unknown projection method.");
        if (SourcePrompt is null)
            throw new ArgumentException("PromptProjectorOptions.SourcePrompt is required: the source model's prompt to project.", nameof(SourcePrompt));
        if (Method == ProjectionMethod.DistanceMinimizing && TargetPrompt is null)
            throw new ArgumentException("Distance Minimizing needs PromptProjectorOptions.TargetPrompt, the target model's prompt for the same task.", nameof(TargetPrompt));
        if (string.IsNullOrWhiteSpace(ResolvedTargetBackbone))
            throw new ArgumentException("PromptProjectorOptions.TargetBackbone must name the target model folder or hub id.", nameof(TargetBackbone));
        if (TextColumnNames is null || TextColumnNames.Count == 0 || TextColumnNames.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("PromptProjectorOptions.TextColumnNames must list at least one column.", nameof(TextColumnNames));
        if (string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException("PromptProjectorOptions.LabelColumnName is empty.", nameof(LabelColumnName));
        if (InferenceBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InferenceBatchSize), InferenceBatchSize, "InferenceBatchSize must be positive.");
        if (MaxLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be positive.");
        ArgumentNullException.ThrowIfNull(Projector, nameof(Projector));
        Projector.Validate();
    }
}
