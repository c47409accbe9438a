using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>
/// A task seen through the target model: the source-model prompt trained on it, the target classifier (frozen target
/// backbone, template, verbalizer) and its labelled rows. Task Tuning trains on <see cref="Train"/>; both methods can
/// validate on <see cref="Validation"/> (zero-shot accuracy of the projected prompt).
/// </summary>
public sealed record ProjectionTask(SoftPrompt Source, PromptClassifier Target, IReadOnlyList<PromptExample> Train, IReadOnlyList<PromptExample>? Validation = null);
