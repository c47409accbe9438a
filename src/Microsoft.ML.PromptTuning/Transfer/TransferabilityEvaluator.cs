using System.Globalization;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;
using Microsoft.ML.PromptTuning.Transfer.Indicators;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>
/// Cross-task prompt transfer on one frozen backbone (Su et al., 2022): trains task prompts, evaluates every source prompt
/// zero-shot on every target task (with the target's template and verbalizer), trains target prompts from source prompts vs.
/// random initialisation, and computes the transferability indicators and their correlation with transfer. Create it with
/// <c>mlContext.PromptTuning().TransferabilityEvaluator(options)</c>; dispose it to release the backbone.
/// </summary>
public sealed class TransferabilityEvaluator : IDisposable
{
    private readonly MLContext _context;
    private readonly TransferabilityOptions _options;
    private readonly TransferBackbone _backbone;
    private readonly Tensor _randomPrompt;
    private readonly Dictionary<string, TaskEvaluation> _evaluations = new(StringComparer.Ordinal);
    private bool _disposed;

    internal TransferabilityEvaluator(MLContext context, TransferabilityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = options;
        _backbone = new TransferBackbone(options.Backbone, DeviceSelection.Select(context), options.PromptLength, options.MaxLength);
        using (NewDisposeScope())
            _randomPrompt = PromptInitializer.Create(_backbone.Model, options.PromptLength, options.RandomInitialization, _backbone.Tokenizer).DetachFromDisposeScope();
    }

    /// <summary>The random prompt <c>[N, hidden]</c>: the matrix's random row and the baseline initialisation (a copy).</summary>
    public SoftPrompt RandomPrompt() => new(_randomPrompt, _backbone.Info, null, null, new Dictionary<string, string> { ["task"] = TransferMatrix.RandomPromptName });

    /// <summary>
    /// Trains a prompt for <paramref name="task"/> from <paramref name="initialization"/> (a source prompt) or, when null, from
    /// the random prompt, keeping the best prompt on the task's validation split.
    /// </summary>
    /// <exception cref="ArgumentException">The task has no validation split, or the initial prompt does not fit.</exception>
    public TaskPromptTraining TrainPrompt(PromptTask task, SoftPrompt? initialization = null, string? initializationName = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!task.HasSplit(TaskSplit.Validation))
            throw new ArgumentException($"Task '{task.Name}' has no validation split; training for transfer keeps the best prompt on validation rows (add one, e.g. with TaskDataSource.CarveValidation).", nameof(task));
        if (initialization is not null)
            _backbone.CheckPrompt(initializationName ?? "initialization", initialization);
        var classifier = _backbone.ClassifierFor(task);
        var template = classifier.Encoder.Template;
        var train = TaskRows.Read(task, TaskSplit.Train, template, _options.MaxTrainRows, _options.Seed);
        var validation = TaskRows.Read(task, TaskSplit.Validation, template, _options.MaxValidationRows, _options.Seed);
        string run = initialization is null ? task.Name : $"{task.Name}-from-{initializationName ?? "prompt"}";
        var trainer = _options.Trainer with { CheckpointDirectory = _options.Trainer.CheckpointDirectory is { } root ? Path.Combine(root, run) : null };
        PromptTuningLog.Info(_context, $"Training '{run}': {train.Count} rows, {validation.Count} validation rows, {trainer.MaxSteps} steps.");

        using var initial = initialization?.ToDevice(_backbone.Model.Device) ?? _randomPrompt.clone();
        using var result = new SoftPromptTrainer(classifier, trainer).Train(initial, train, validation, null, _options.CancellationToken);
        var summary = new Dictionary<string, string>
        {
            ["task"] = task.Name,
            ["initialization"] = initializationName ?? (initialization is null ? TransferMatrix.RandomPromptName : "prompt"),
            ["steps"] = result.Steps.ToString(CultureInfo.InvariantCulture),
            ["best_validation_accuracy"] = result.BestValidationMetric?.ToString("R", CultureInfo.InvariantCulture) ?? "",
            ["wall_seconds"] = result.WallTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
        };
        var prompt = new SoftPrompt(result.Prompt, _backbone.Info, template, task.LabelWords, summary);
        PromptTuningLog.Info(_context, $"Trained '{run}': best validation accuracy {result.BestValidationMetric:P2} in {result.WallTime.TotalSeconds:F0} s.");
        return new TaskPromptTraining(task.Name, prompt, result.LearningCurve, result.BestValidationMetric, result.Steps, result.WallTime);
    }

    /// <summary>The task's metrics for <paramref name="prompt"/> on its evaluation split (at most <see cref="TransferabilityOptions.MaxEvaluationRows"/> rows).</summary>
    public TaskScore Score(PromptTask task, SoftPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(prompt);
        _backbone.CheckPrompt(prompt.TrainingSummary.GetValueOrDefault("task") ?? "prompt", prompt);
        return EvaluationOf(task).Score(prompt.Embeddings);
    }

    /// <summary>
    /// Zero-shot transfer of every prompt (plus the random prompt, last) to every target task, read through the target's
    /// template and verbalizer. Each target needs its own prompt among <paramref name="prompts"/> (under its name).
    /// </summary>
    /// <exception cref="ArgumentException">Prompts of different lengths or widths, a repeated name, or a target without its own prompt.</exception>
    public TransferMatrix ZeroShot(IEnumerable<KeyValuePair<string, SoftPrompt>> prompts, IReadOnlyList<PromptTask> targets)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sources = CheckPrompts(prompts, targets.Select(t => t.Name));
        var scores = sources.Select(_ => new TaskScore[targets.Count]).ToList();
        var randomScores = new TaskScore[targets.Count];
        for (int t = 0; t < targets.Count; t++)
        {
            var evaluation = EvaluationOf(targets[t]);
            for (int s = 0; s < sources.Count; s++)
            {
                _options.CancellationToken.ThrowIfCancellationRequested();
                scores[s][t] = evaluation.Score(sources[s].Prompt.Embeddings);
            }
            randomScores[t] = evaluation.Score(_randomPrompt);
            PromptTuningLog.Info(_context, $"Zero-shot transfer to '{targets[t].Name}' scored for {sources.Count} prompts and the random prompt.");
        }
        var own = targets.Select((target, t) => scores[sources.FindIndex(s => s.Name == target.Name)][t]).ToList();
        var names = sources.Select(s => s.Name).Append(TransferMatrix.RandomPromptName).ToList();
        return new TransferMatrix(names, targets.Select(t => t.Name).ToList(), scores.Append(randomScores).Select(r => (IReadOnlyList<TaskScore>)r).ToList(), own);
    }

    /// <summary>Every indicator for every (source prompt, target's own prompt) pair: prompt-embedding similarities and ON.</summary>
    public IReadOnlyList<IndicatorMatrix> Indicators(IEnumerable<KeyValuePair<string, SoftPrompt>> prompts, IReadOnlyList<string> targets)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sources = CheckPrompts(prompts, targets);
        var neurons = sources.Select(s => ModelStimulation.ActivatedNeurons(_backbone.Model, _backbone.Tokenizer, s.Prompt.Embeddings)).ToList();
        try
        {
            return IndicatorMatrices.Compute(sources, targets, neurons, _options.NeuronLayerWindow);
        }
        finally
        {
            neurons.ForEach(n => n.Dispose());
        }
    }

    /// <summary>
    /// Trains <paramref name="target"/>'s prompt from <paramref name="source"/> and from the random prompt with identical
    /// settings, and compares the learning curves (speed-up to 90 % and 100 % of the random run's best) and final metrics.
    /// </summary>
    public InitializationTransfer TransferAsInitialization(string sourceName, SoftPrompt source, PromptTask target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        _backbone.CheckPrompt(sourceName, source);
        using var random = TrainPrompt(target);
        using var transferred = TrainPrompt(target, source, sourceName);
        var crossings = InitializationTransfer.Fractions.Select(f => ThresholdCrossing.Of(f, random.LearningCurve, transferred.LearningCurve)).ToList();
        return new InitializationTransfer(sourceName, target.Name, random.LearningCurve, transferred.LearningCurve, crossings,
            Score(target, random.Prompt), Score(target, transferred.Prompt), random.WallTime.TotalSeconds, transferred.WallTime.TotalSeconds);
    }

    /// <summary>
    /// The full report: zero-shot matrix, indicators, their correlations with relative performance, and transfer as
    /// initialisation for <paramref name="initializationPairs"/> (source prompt name, target task name).
    /// </summary>
    public TransferabilityReport Evaluate(IEnumerable<KeyValuePair<string, SoftPrompt>> prompts, IReadOnlyList<PromptTask> targets,
        IEnumerable<(string Source, string Target)>? initializationPairs = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(targets);
        var promptList = prompts.ToList();
        var matrix = ZeroShot(promptList, targets);
        var indicators = Indicators(promptList, targets.Select(t => t.Name).ToList());
        var correlations = indicators.Select(i => IndicatorCorrelation.Compute(i, matrix)).ToList();
        var runs = (initializationPairs ?? []).Select(pair =>
        {
            var source = promptList.FirstOrDefault(p => p.Key == pair.Source).Value
                ?? throw new ArgumentException($"No prompt named '{pair.Source}' for transfer as initialisation.", nameof(initializationPairs));
            var target = targets.FirstOrDefault(t => t.Name == pair.Target)
                ?? throw new ArgumentException($"No target task named '{pair.Target}' for transfer as initialisation.", nameof(initializationPairs));
            return TransferAsInitialization(pair.Source, source, target);
        }).ToList();
        return new TransferabilityReport(_options.Backbone, _options.PromptLength, matrix, indicators, correlations, runs);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _randomPrompt.Dispose();
        _backbone.Dispose();
    }

    private TaskEvaluation EvaluationOf(PromptTask task)
    {
        if (_evaluations.TryGetValue(task.Name, out var evaluation))
            return evaluation;
        var classifier = _backbone.ClassifierFor(task);
        var rows = TaskRows.Read(task, _options.EvaluationSplit, classifier.Encoder.Template, _options.MaxEvaluationRows, _options.Seed);
        return _evaluations[task.Name] = new TaskEvaluation(task, classifier, rows, _options.InferenceBatchSize);
    }

    /// <summary>The prompts in order, after checking names, shapes and that every target has its own prompt.</summary>
    private List<(string Name, SoftPrompt Prompt)> CheckPrompts(IEnumerable<KeyValuePair<string, SoftPrompt>> prompts, IEnumerable<string> targets)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var list = prompts.Select(p => (Name: p.Key, Prompt: p.Value)).ToList();
        if (list.Count == 0)
            throw new ArgumentException("No prompts to compare.", nameof(prompts));
        foreach (var (name, prompt) in list)
        {
            if (string.IsNullOrWhiteSpace(name) || name == TransferMatrix.RandomPromptName)
                throw new ArgumentException($"'{name}' cannot name a prompt (empty, or reserved for the random prompt).", nameof(prompts));
            ArgumentNullException.ThrowIfNull(prompt, $"prompt '{name}'");
            _backbone.CheckPrompt(name, prompt);
        }
        if (list.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new ArgumentException($"Two prompts are named '{repeated.Key}'.", nameof(prompts));
        foreach (string target in targets)
            if (list.All(p => p.Name != target))
                throw new ArgumentException($"Target task '{target}' has no prompt of its own (prompts: {string.Join(", ", list.Select(p => p.Name))}); relative performance divides by it.", nameof(prompts));
        return list;
    }
}
