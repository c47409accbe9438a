using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>Options of <see cref="TransferabilityEvaluator"/>: the frozen backbone, the prompt shape, training, evaluation and the indicators.</summary>
public sealed class TransferabilityOptions
{
    /// <summary>The backbone every prompt belongs to: a Hugging Face model folder or hub id. Required.</summary>
    public string Backbone { get; set; } = "";

    /// <summary>Soft tokens of the tasks' default templates; every prompt compared must have this many.</summary>
    public int PromptLength { get; set; } = 100;

    /// <summary>Longest input sequence, soft tokens included (texts are truncated); null uses the backbone's.</summary>
    public int? MaxLength { get; set; }

    /// <summary>How prompts are trained (own prompts and both runs of transfer as initialisation, identically).</summary>
    public SoftPromptTrainerOptions Trainer { get; set; } = new();

    /// <summary>The random prompt: the random-prompt row of the matrix and the random initialisation transfer is compared with.</summary>
    public PromptInitializerOptions RandomInitialization { get; set; } = new();

    /// <summary>The split transfer is measured on (held-out rows by default).</summary>
    public TaskSplit EvaluationSplit { get; set; } = TaskSplit.Test;

    /// <summary>At most this many training rows per task (a seeded sample); null uses all.</summary>
    public int? MaxTrainRows { get; set; }

    /// <summary>At most this many validation rows per task (a seeded sample); null uses all.</summary>
    public int? MaxValidationRows { get; set; }

    /// <summary>At most this many evaluation rows per target task (a seeded sample); null uses all.</summary>
    public int? MaxEvaluationRows { get; set; } = 1000;

    /// <summary>Seed of the row samples.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Layers per window of the per-window model-stimulation (ON) indicator.</summary>
    public int NeuronLayerWindow { get; set; } = 1;

    /// <summary>Rows per forward pass when scoring.</summary>
    public int InferenceBatchSize { get; set; } = PromptClassifier.DefaultBatchSize;

    /// <summary>Stops training and evaluation between steps and batches.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Checks the values; messages name the option at fault.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Backbone))
            throw new ArgumentException("TransferabilityOptions.Backbone must name a model folder or hub id.", nameof(Backbone));
        if (PromptLength is < 1 or > PromptTemplate.MaxSoftTokens)
            throw new ArgumentOutOfRangeException(nameof(PromptLength), PromptLength, $"PromptLength must lie in [1, {PromptTemplate.MaxSoftTokens}].");
        if (MaxLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be positive.");
        foreach (var (name, value) in new[] { (nameof(MaxTrainRows), MaxTrainRows), (nameof(MaxValidationRows), MaxValidationRows), (nameof(MaxEvaluationRows), MaxEvaluationRows) })
            if (value is < 1)
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive (or null for all rows).");
        if (NeuronLayerWindow < 1)
            throw new ArgumentOutOfRangeException(nameof(NeuronLayerWindow), NeuronLayerWindow, "NeuronLayerWindow must be positive.");
        if (InferenceBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InferenceBatchSize), InferenceBatchSize, "InferenceBatchSize must be positive.");
        ArgumentNullException.ThrowIfNull(Trainer, nameof(Trainer));
        ArgumentNullException.ThrowIfNull(RandomInitialization, nameof(RandomInitialization));
        if (RandomInitialization.Mode == PromptInitialization.FromPrompt)
            throw new ArgumentException("RandomInitialization cannot copy a prompt: it is the baseline transfer is compared with.", nameof(RandomInitialization));
        Trainer.Validate();
    }
}
