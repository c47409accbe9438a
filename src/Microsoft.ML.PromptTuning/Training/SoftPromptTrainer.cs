using System.Diagnostics;
using Microsoft.ML.PromptTuning.Prompts;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>
/// Trains a soft prompt on a frozen backbone: AdamW on the prompt only, cross-entropy over the verbalizer's label scores,
/// length-bucketed batches, periodic validation keeping the best prompt, early stopping, resumable checkpoints,
/// cancellation, and a stop with the last finite prompt when the loss turns NaN/Inf.
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
        CheckInputs(initialPrompt, train, validation);
        var backbone = _classifier.Backbone;
        var trainRows = Encode(train, "training");
        var validationRows = validation is null ? null : Encode(validation, "validation");
        var batches = new TrainingBatchOrder(trainRows, train.Select(t => t.Label).ToList(), _options.BatchSize, _options.Seed);
        int maxSteps = _options.MaxEpochs is int epochs ? Math.Min(_options.MaxSteps, epochs * batches.BatchesPerEpoch) : _options.MaxSteps;

        using var prompt = new Parameter(initialPrompt.detach().to(ScalarType.Float32, backbone.Device).clone());
        using var optimizer = new AdamW(new[] { ("prompt", prompt) }, _options.WeightDecay);
        var schedule = new LearningRateSchedule(_options.LearningRate, _options.WarmupSteps, maxSteps, _options.LinearDecay);
        var state = SoftPromptCheckpoint.TryLoad(_options.CheckpointDirectory, prompt, optimizer, Identity(maxSteps))
            ?? SoftPromptCheckpoint.Fresh(Identity(maxSteps));
        var watch = Stopwatch.StartNew();
        double elapsedBefore = state.ElapsedSeconds;
        var lossesSincePoint = state.PendingLosses;

        int stopAt = Math.Min(maxSteps, _options.StopAtStep ?? maxSteps);
        while (state.Step < stopAt && !state.StoppedEarly && !cancellationToken.IsCancellationRequested)
        {
            double loss = TrainStep(prompt, optimizer, batches.Batch(state.Step), schedule.At(state.Step), state);
            lossesSincePoint.Add(loss);
            state.Step++;
            double elapsed = elapsedBefore + watch.Elapsed.TotalSeconds;
            double? metric = null;
            if (state.Step % _options.EvaluateEverySteps == 0 || state.Step == stopAt)
            {
                metric = validationRows is null ? null : Accuracy(validationRows, validation!, prompt);
                state.RecordPoint(new LearningCurvePoint(state.Step, elapsed, lossesSincePoint.Average(), metric), prompt, _options.EarlyStoppingPatience);
                lossesSincePoint.Clear();
            }
            progress?.Report(new SoftPromptTrainingProgress(state.Step, maxSteps, loss, metric ?? state.LatestMetric, state.BestMetric, TimeSpan.FromSeconds(elapsed)));
            if (_options.CheckpointDirectory is not null && (state.Step % _options.CheckpointEverySteps == 0 || state.Step == stopAt || cancellationToken.IsCancellationRequested))
                SoftPromptCheckpoint.Save(_options.CheckpointDirectory, prompt, optimizer, state with { ElapsedSeconds = elapsed });
        }
        cancellationToken.ThrowIfCancellationRequested();
        return state.ToResult(validationRows is not null, prompt, TimeSpan.FromSeconds(elapsedBefore + watch.Elapsed.TotalSeconds));
    }

    /// <summary>Accuracy of <paramref name="prompt"/> on encoded rows.</summary>
    public double Accuracy(IReadOnlyList<EncodedPrompt> rows, IReadOnlyList<PromptExample> examples, Tensor prompt)
    {
        var probabilities = _classifier.Predict(rows, prompt);
        int correct = 0;
        for (int i = 0; i < rows.Count; i++)
            if (PromptClassifier.ArgMax(probabilities[i]) == examples[i].Label)
                correct++;
        return (double)correct / rows.Count;
    }

    private double TrainStep(Parameter prompt, AdamW optimizer, IReadOnlyList<(EncodedPrompt Row, int Label)> batch, double learningRate, SoftPromptCheckpoint.State state)
    {
        using var scope = NewDisposeScope();
        using var collated = _classifier.Collate(batch.Select(b => b.Row).ToList());
        var targets = tensor(batch.Select(b => (long)b.Label).ToArray(), ScalarType.Int64, _classifier.Backbone.Device);
        var lossTensor = nn.functional.cross_entropy(_classifier.LabelScores(collated, prompt), targets);
        double loss = lossTensor.item<float>();
        if (!double.IsFinite(loss))
            throw new NonFiniteLossException(state.Step, loss, prompt.detach().cpu().clone().DetachFromDisposeScope());
        lossTensor.backward();
        nn.utils.clip_grad_norm_(new[] { prompt }, _options.MaxGradNorm);
        optimizer.Step(learningRate);
        optimizer.ZeroGrad();
        return loss;
    }

    private List<EncodedPrompt> Encode(IReadOnlyList<PromptExample> examples, string what)
    {
        var rows = new List<EncodedPrompt>(examples.Count);
        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i].Label < 0 || examples[i].Label >= _classifier.Verbalizer.LabelCount)
                throw new ArgumentException($"{what} row {i} has label index {examples[i].Label}, outside the verbalizer's {_classifier.Verbalizer.LabelCount} labels.");
            try
            {
                rows.Add(_classifier.Encoder.Encode(examples[i].Texts));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{what} row {i}: {e.Message}", e);
            }
        }
        return rows;
    }

    private void CheckInputs(Tensor initialPrompt, IReadOnlyList<PromptExample> train, IReadOnlyList<PromptExample>? validation)
    {
        ArgumentNullException.ThrowIfNull(initialPrompt);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
            throw new ArgumentException("The training set is empty.", nameof(train));
        if (validation is { Count: 0 })
            throw new ArgumentException("The validation set is empty; pass null to train without validation.", nameof(validation));
        long expectedRows = _classifier.PromptLength, expectedWidth = _classifier.Backbone.HiddenSize;
        if (initialPrompt.dim() != 2 || initialPrompt.shape[0] != expectedRows || initialPrompt.shape[1] != expectedWidth)
            throw new ArgumentException(
                $"The initial prompt is [{string.Join(", ", initialPrompt.shape)}] but the template has {expectedRows} soft tokens and the {_classifier.Backbone.ModelType} backbone's hidden size is {expectedWidth}.",
                nameof(initialPrompt));
        using (no_grad())
            if (!initialPrompt.isfinite().all().item<bool>())
                throw new ArgumentException("The initial prompt contains NaN or infinite values.", nameof(initialPrompt));
    }

    private string Identity(int maxSteps) =>
        $"prompt {_classifier.PromptLength}x{_classifier.Backbone.HiddenSize} steps {maxSteps} batch {_options.BatchSize} lr {_options.LearningRate} seed {_options.Seed}";

}
