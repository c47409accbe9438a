using Microsoft.ML.PromptTuning.Prompts;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>
/// The task side of prompt tuning on one classifier: labelled rows encoded once, the cross-entropy of a step's batch over
/// the verbalizer's label scores (differentiable in the prompt), and validation accuracy.
/// </summary>
internal sealed class ClassificationObjective
{
    private readonly List<EncodedPrompt>? _validationRows;
    private readonly IReadOnlyList<int>? _validationLabels;

    /// <exception cref="ArgumentException">The training set is empty, the validation set is empty (rather than null), or a row
    /// cannot be encoded or has a label outside the verbalizer; the message names the row.</exception>
    public ClassificationObjective(PromptClassifier classifier, IReadOnlyList<PromptExample> train, IReadOnlyList<PromptExample>? validation, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
            throw new ArgumentException("The training set is empty.", nameof(train));
        if (validation is { Count: 0 })
            throw new ArgumentException("The validation set is empty; pass null to train without validation.", nameof(validation));
        Classifier = classifier;
        Batches = new TrainingBatchOrder(Encode(classifier, train, "training"), train.Select(t => t.Label).ToList(), batchSize, seed);
        if (validation is not null)
        {
            _validationRows = Encode(classifier, validation, "validation");
            _validationLabels = validation.Select(v => v.Label).ToList();
        }
    }

    public PromptClassifier Classifier { get; }

    public TrainingBatchOrder Batches { get; }

    public bool HasValidation => _validationRows is not null;

    /// <summary>Mean cross-entropy of batch <paramref name="step"/> (0-based) with <paramref name="prompt"/> <c>[N, hidden]</c>.</summary>
    public Tensor Loss(int step, Tensor prompt)
    {
        var batch = Batches.Batch(step);
        using var scope = NewDisposeScope();
        using var collated = Classifier.Collate(batch.Select(b => b.Row).ToList());
        var targets = tensor(batch.Select(b => (long)b.Label).ToArray(), ScalarType.Int64, Classifier.Backbone.Device);
        return nn.functional.cross_entropy(Classifier.LabelScores(collated, prompt), targets).MoveToOuterDisposeScope();
    }

    /// <summary>Validation accuracy of <paramref name="prompt"/> (only when a validation set was given).</summary>
    public double ValidationAccuracy(Tensor prompt) =>
        Accuracy(Classifier, _validationRows ?? throw new InvalidOperationException("No validation set was given."), _validationLabels!, prompt);

    /// <summary>The share of <paramref name="rows"/> whose most probable label is <paramref name="labels"/>'.</summary>
    public static double Accuracy(PromptClassifier classifier, IReadOnlyList<EncodedPrompt> rows, IReadOnlyList<int> labels, Tensor prompt)
    {
        var probabilities = classifier.Predict(rows, prompt);
        int correct = 0;
        for (int i = 0; i < rows.Count; i++)
            if (PromptClassifier.ArgMax(probabilities[i]) == labels[i])
                correct++;
        return (double)correct / rows.Count;
    }

    /// <summary>Encodes labelled rows for <paramref name="classifier"/>; errors name the row (<paramref name="what"/> row i).</summary>
    public static List<EncodedPrompt> Encode(PromptClassifier classifier, IReadOnlyList<PromptExample> examples, string what)
    {
        var rows = new List<EncodedPrompt>(examples.Count);
        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i].Label < 0 || examples[i].Label >= classifier.Verbalizer.LabelCount)
                throw new ArgumentException($"{what} row {i} has label index {examples[i].Label}, outside the verbalizer's {classifier.Verbalizer.LabelCount} labels.");
            try
            {
                rows.Add(classifier.Encoder.Encode(examples[i].Texts));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{what} row {i}: {e.Message}", e);
            }
        }
        return rows;
    }
}
