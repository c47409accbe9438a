using Microsoft.ML.PromptTuning.Prompts;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>
/// Trains a soft prompt on a frozen backbone: AdamW on the prompt only, cross-entropy over the verbalizer's label scores,
/// length-bucketed batches, periodic validation keeping the best prompt, early stopping, resumable checkpoints,
/// cancellation, and a stop with the last finite prompt when the loss turns NaN/Inf (see <see cref="TrainingLoop"/>).
/// </summary>
public sealed class SoftPromptTrainer
{
    private readonly PromptClassifier _classifier;
    private readonly SoftPromptTrainerOptions _options;

    public SoftPromptTrainer(PromptClassifier classifier, SoftPromptTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _classifier = classifier;
        _options = options;
    }

    /// <summary>
    /// Trains from <paramref name="initialPrompt"/> <c>[N, hidden]</c> on <paramref name="train"/>, validating on
    /// <paramref name="validation"/> (accuracy) when given. Returns the best validated prompt (the last one without validation).
    /// </summary>
    public SoftPromptTrainingResult Train(Tensor initialPrompt, IReadOnlyList<PromptExample> train, IReadOnlyList<PromptExample>? validation = null,
        IProgress<SoftPromptTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckPrompt(initialPrompt);
        var objective = new ClassificationObjective(_classifier, train, validation, _options.BatchSize, _options.Seed);
        int maxSteps = _options.MaxStepsFor(objective.Batches.BatchesPerEpoch);

        using var prompt = TrainableCopy(initialPrompt);
        var loop = new TrainingLoop(_options, [("prompt", prompt)], Identity(maxSteps));
        using var outcome = loop.Run(maxSteps, step => objective.Loss(step, prompt),
            objective.HasValidation ? () => objective.ValidationAccuracy(prompt) : null, () => prompt, progress, cancellationToken);
        return new SoftPromptTrainingResult(outcome.Take("prompt"), outcome);
    }

    /// <summary>Accuracy of <paramref name="prompt"/> on encoded rows.</summary>
    public double Accuracy(IReadOnlyList<EncodedPrompt> rows, IReadOnlyList<PromptExample> examples, Tensor prompt) =>
        ClassificationObjective.Accuracy(_classifier, rows, examples.Select(e => e.Label).ToList(), prompt);

    private Parameter TrainableCopy(Tensor initialPrompt)
    {
        // The scope disposes the intermediate detach/to views; the parameter leaves it.
        using var scope = NewDisposeScope();
        var parameter = new Parameter(initialPrompt.detach().to(ScalarType.Float32, _classifier.Backbone.Device).clone());
        parameter.MoveToOuterDisposeScope();
        return parameter;
    }

    private void CheckPrompt(Tensor initialPrompt)
    {
        ArgumentNullException.ThrowIfNull(initialPrompt);
        long expectedRows = _classifier.PromptLength, expectedWidth = _classifier.Backbone.HiddenSize;
        if (initialPrompt.dim() != 2 || initialPrompt.shape[0] != expectedRows || initialPrompt.shape[1] != expectedWidth)
            throw new ArgumentException(
                $"The initial prompt is [{string.Join(", ", initialPrompt.shape)}] but the template has {expectedRows} soft tokens and the {_classifier.Backbone.ModelType} backbone's hidden size is {expectedWidth}.",
                nameof(initialPrompt));
        using (no_grad())
        using (NewDisposeScope())
            if (!initialPrompt.isfinite().all().item<bool>())
                throw new ArgumentException("The initial prompt contains NaN or infinite values.", nameof(initialPrompt));
    }

    private string Identity(int maxSteps) =>
        $"prompt {_classifier.PromptLength}x{_classifier.Backbone.HiddenSize} steps {maxSteps} batch {_options.BatchSize} lr {_options.LearningRate} seed {_options.Seed}";
}
