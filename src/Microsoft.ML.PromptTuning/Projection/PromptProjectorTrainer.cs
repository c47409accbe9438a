using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>
/// Trains a <see cref="PromptProjector"/> by Distance Minimizing or Task Tuning (Su et al., 2022) with the loop of prompt
/// tuning (<see cref="TrainingLoop"/>): AdamW on the projector only, validation by zero-shot accuracy of the projected
/// prompts keeping the best projector, early stopping, resumable checkpoints, progress, cancellation and a NaN stop.
/// </summary>
public sealed class PromptProjectorTrainer
{
    private readonly PromptProjectorTrainerOptions _options;

    public PromptProjectorTrainer(PromptProjectorTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>
    /// Distance Minimizing: minimises the distance between <c>Project(pair.Source)</c> and <c>pair.Target</c> over all pairs
    /// at every step. <paramref name="validation"/> tasks (only their <see cref="ProjectionTask.Validation"/> rows are read)
    /// give the metric that keeps the best projector.
    /// </summary>
    /// <exception cref="ArgumentException">No pairs, pairs from different backbones or of different lengths, or validation
    /// tasks without validation rows; the message says which.</exception>
    public PromptProjectorTrainingResult TrainDistanceMinimizing(IReadOnlyList<PromptPair> pairs, IReadOnlyList<ProjectionTask>? validation = null,
        IProgress<SoftPromptTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
            throw new ArgumentException("The training set is empty: Distance Minimizing needs at least one (source prompt, target prompt) pair.", nameof(pairs));
        if (validation is { Count: 0 })
            throw new ArgumentException("The validation set is empty; pass null to train without validation.", nameof(validation));
        var config = Config(pairs[0].Source, pairs[0].Target.Backbone, pairs[0].Target.TokenCount);
        foreach (var pair in pairs)
        {
            CheckSource(pair.Source, config);
            if (!pair.Target.Backbone.IsSameArchitectureAs(config.Target) || pair.Target.TokenCount != config.TargetTokens)
                throw new ArgumentException($"The target prompts must all be {config.TargetTokens} tokens of {config.Target}; one is {pair.Target.TokenCount} tokens of {pair.Target.Backbone}.", nameof(pairs));
        }
        var validators = validation?.Select((task, i) => ProjectedValidation.Of(task, config, i)).ToList();
        var device = validation?[0].Target.Backbone.Device ?? CPU;

        var projector = NewProjector(config, device);
        try
        {
            using var scope = NewDisposeScope();   // the stacked prompts and their device copies
            var sources = stack(pairs.Select(p => p.Source.Embeddings).ToArray()).to(device);
            var targets = stack(pairs.Select(p => p.Target.Embeddings).ToArray()).to(device);
            var loop = new TrainingLoop(_options.Training, projector.NamedParameters, Identity("distance " + _options.Distance, config, 1));
            using var outcome = loop.Run(_options.Training.MaxStepsFor(1), _ => Distance(projector.forward(sources), targets),
                validators is null ? null : () => validators.Average(v => v.Accuracy(projector)), () => projector.forward(sources[0]), progress, cancellationToken);
            return Finish(projector, outcome);
        }
        catch
        {
            projector.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Task Tuning: plugs <c>Project(task.Source)</c> into the frozen target backbone and trains the projector on the
    /// tasks' classification loss (steps cycle through the tasks), validating on their validation rows when given.
    /// </summary>
    /// <param name="tasks">One or more tasks, all on the same target backbone and prompt length.</param>
    /// <param name="targetNameOrPath">Where the target backbone was loaded from (recorded with projected prompts).</param>
    /// <param name="progress">Step, loss and validation accuracy after each step.</param>
    /// <param name="cancellationToken">Stops after the current step (a checkpoint is written when a folder is set).</param>
    /// <exception cref="ArgumentException">No tasks, an empty training set, tasks on different backbones or lengths, or a
    /// source prompt from another backbone; the message says which.</exception>
    public PromptProjectorTrainingResult TrainTaskTuning(IReadOnlyList<ProjectionTask> tasks, string targetNameOrPath,
        IProgress<SoftPromptTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(targetNameOrPath);
        if (tasks.Count == 0)
            throw new ArgumentException("The training set is empty: Task Tuning needs at least one task.", nameof(tasks));
        var backbone = tasks[0].Target.Backbone;
        var config = Config(tasks[0].Source, BackboneInfo.FromModel(backbone, targetNameOrPath), tasks[0].Target.PromptLength);
        foreach (var task in tasks)
        {
            CheckSource(task.Source, config);
            if (!ReferenceEquals(task.Target.Backbone, backbone) || task.Target.PromptLength != config.TargetTokens)
                throw new ArgumentException($"Every task must use the same target backbone and a template of {config.TargetTokens} soft tokens.", nameof(tasks));
        }
        var objectives = tasks.Select((t, i) => new ClassificationObjective(t.Target, t.Train, t.Validation, _options.Training.BatchSize, _options.Training.Seed + i)).ToList();

        var projector = NewProjector(config, backbone.Device);
        try
        {
            var sources = tasks.Select(t => t.Source.ToDevice(backbone.Device)).ToList();
            try
            {
                int maxSteps = _options.Training.MaxStepsFor(objectives.Sum(o => o.Batches.BatchesPerEpoch));
                var loop = new TrainingLoop(_options.Training, projector.NamedParameters, Identity("task tuning", config, tasks.Count));
                using var outcome = loop.Run(maxSteps,
                    step => objectives[step % tasks.Count].Loss(step / tasks.Count, projector.forward(sources[step % tasks.Count])),
                    objectives.Any(o => o.HasValidation) ? () => MeanValidationAccuracy(projector, objectives, sources) : null,
                    () => projector.forward(sources[0]), progress, cancellationToken);
                return Finish(projector, outcome);
            }
            finally
            {
                sources.ForEach(s => s.Dispose());
            }
        }
        catch
        {
            projector.Dispose();
            throw;
        }
    }

    private PromptProjectorConfig Config(SoftPrompt source, BackboneInfo target, int targetTokens) =>
        new(source.Backbone, target, source.TokenCount, targetTokens, _options.HiddenSize, _options.Activation, _options.AllowLengthChange);

    private static void CheckSource(SoftPrompt source, PromptProjectorConfig config)
    {
        if (!source.Backbone.IsSameArchitectureAs(config.Source) || source.TokenCount != config.SourceTokens)
            throw new ArgumentException(
                $"The source prompts must all be {config.SourceTokens} tokens of {config.Source}; one is {source.TokenCount} tokens of {source.Backbone}.", nameof(source));
    }

    private PromptProjector NewProjector(PromptProjectorConfig config, Device device)
    {
        var projector = new PromptProjector(config, _options.Training.Seed);
        if (device.type != DeviceType.CPU)
            projector.to(device);
        return projector;
    }

    private Tensor Distance(Tensor projected, Tensor targets) => _options.Distance switch
    {
        PromptDistance.Cosine => 1 - nn.functional.cosine_similarity(projected, targets, dim: -1).mean(),
        _ => nn.functional.mse_loss(projected, targets),
    };

    private static double MeanValidationAccuracy(PromptProjector projector, List<ClassificationObjective> objectives, List<Tensor> sources)
    {
        var accuracies = new List<double>();
        using var noGrad = no_grad();
        for (int i = 0; i < objectives.Count; i++)
        {
            if (!objectives[i].HasValidation)
                continue;
            using var prompt = projector.forward(sources[i]);
            accuracies.Add(objectives[i].ValidationAccuracy(prompt));
        }
        return accuracies.Average();
    }

    private static PromptProjectorTrainingResult Finish(PromptProjector projector, TrainingOutcome outcome)
    {
        projector.LoadWeights(outcome.Parameters);
        return new PromptProjectorTrainingResult(projector, outcome);
    }

    private string Identity(string method, PromptProjectorConfig config, int tasks) =>
        $"projector {method} {config.SourceTokens}x{config.Source.HiddenSize} {config.Source.ModelType} -> {config.TargetTokens}x{config.Target.HiddenSize} {config.Target.ModelType} " +
        $"hidden {config.HiddenSize} {config.Activation} tasks {tasks} steps {_options.Training.MaxSteps} batch {_options.Training.BatchSize} lr {_options.Training.LearningRate} seed {_options.Training.Seed}";

    /// <summary>Zero-shot accuracy of the projected prompt of one task's source prompt on its validation rows.</summary>
    private sealed class ProjectedValidation(ProjectionTask task, List<EncodedPrompt> rows, List<int> labels)
    {
        public static ProjectedValidation Of(ProjectionTask task, PromptProjectorConfig config, int index)
        {
            if (task.Validation is not { Count: > 0 })
                throw new ArgumentException($"Validation task {index} has no validation rows.", nameof(task));
            CheckSource(task.Source, config);
            if (task.Target.PromptLength != config.TargetTokens || task.Target.Backbone.HiddenSize != config.Target.HiddenSize || task.Target.Backbone.ModelType != config.Target.ModelType)
                throw new ArgumentException($"Validation task {index} does not read {config.TargetTokens}-token prompts of {config.Target}.", nameof(task));
            return new ProjectedValidation(task, ClassificationObjective.Encode(task.Target, task.Validation, "validation"), task.Validation.Select(v => v.Label).ToList());
        }

        public double Accuracy(PromptProjector projector)
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var prompt = projector.forward(task.Source.Embeddings.to(task.Target.Backbone.Device));
            return ClassificationObjective.Accuracy(task.Target, rows, labels, prompt);
        }
    }
}
