using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>
/// The hyperparameters of prompt tuning worth sweeping, as a search-space class (the shape AutoML's sweepable estimators
/// take). <see cref="ToOptions"/> turns one point into estimator options.
/// </summary>
public sealed class SoftPromptSearchSpace
{
    /// <summary>Soft tokens of the default template (a template given in the base options keeps its own count).</summary>
    [Choice(100, 20, 50)]
    public int PromptLength { get; set; } = 100;

    [Range(1e-3, 1e-1, 3e-3, logBase: true)]
    public double LearningRate { get; set; } = 3e-3;

    [Choice(0, 50, 100)]
    public int WarmupSteps { get; set; }

    [Choice(16, 8, 32)]
    public int BatchSize { get; set; } = 16;

    [Choice(nameof(PromptInitialization.SampledVocabulary), nameof(PromptInitialization.RandomNormal))]
    public PromptInitialization Initialization { get; set; } = PromptInitialization.SampledVocabulary;

    /// <summary>
    /// A trained prompt to start from (a <c>.safetensors</c> file of <see cref="SoftPrompt.Save"/> or a PEFT folder); when set
    /// it overrides <see cref="Initialization"/> and <see cref="PromptLength"/>. Candidates come from
    /// <c>SearchSpace.WithChoices(nameof(SourcePrompt), …)</c>; none by default.
    /// </summary>
    [Choice(new object?[] { null })]
    public string? SourcePrompt { get; set; }

    /// <summary>
    /// Options for one trial: a copy of <paramref name="baseOptions"/> with this point's values. A source prompt is loaded
    /// into <c>Initialization.Source</c>; the caller disposes it after fitting.
    /// </summary>
    public SoftPromptOptions ToOptions(SoftPromptOptions baseOptions)
    {
        ArgumentNullException.ThrowIfNull(baseOptions);
        var options = baseOptions.Clone();
        options.PromptLength = PromptLength;
        options.Trainer = options.Trainer with { LearningRate = LearningRate, WarmupSteps = WarmupSteps, BatchSize = BatchSize };
        options.Initialization.Mode = Initialization;
        if (SourcePrompt is not null)
        {
            var source = Directory.Exists(SourcePrompt) ? SoftPrompt.ImportPeft(SourcePrompt) : SoftPrompt.Load(SourcePrompt);
            options.Initialization.Mode = PromptInitialization.FromPrompt;
            options.Initialization.Source = source;
            options.PromptLength = source.TokenCount;
        }
        return options;
    }
}
