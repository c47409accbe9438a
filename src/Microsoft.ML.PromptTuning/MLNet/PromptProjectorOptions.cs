using Microsoft.ML.PromptTuning.Projection;
using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Options of <see cref="PromptProjectorEstimator"/>: the source-model prompt, the target model and its template, the
/// projection method and its training, and (from <see cref="TextClassifierOptions"/>) the target's columns and verbalizer.
/// Label words default to the target prompt's, then the source prompt's, then the label values; validation rows are scored
/// zero-shot with the projected prompt, for both methods.
/// </summary>
public sealed class PromptProjectorOptions : TextClassifierOptions
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

    /// <summary>The projector's shape (hidden layer, activation, length change) and training (AdamW at 5e-3, steps, early
    /// stopping, checkpoint folder, seed; the distance of Distance Minimizing).</summary>
    public PromptProjectorTrainerOptions Projector { get; set; } = new();

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
        ValidateColumns();
        ArgumentNullException.ThrowIfNull(Projector, nameof(Projector));
        Projector.Validate();
    }
}
