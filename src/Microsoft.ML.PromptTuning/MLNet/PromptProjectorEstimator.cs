using System.Globalization;
using Microsoft.ML.PromptTuning.Projection;
using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Trains a <see cref="PromptProjector"/> that moves a source model's prompt to a target model, by Distance Minimizing (to
/// the target model's own prompt) or Task Tuning (on the target model's loss over the rows given to <c>Fit</c>). Create it
/// with <c>mlContext.PromptTuning().PromptProjector(options)</c>.
/// </summary>
/// <remarks>Distance Minimizing learns from the prompt pair alone: <c>Fit</c> reads only the data's schema (for the label column of the result).</remarks>
public sealed class PromptProjectorEstimator : IEstimator<PromptProjectorTransformer>
{
    private readonly MLContext _context;
    private readonly PromptProjectorOptions _options;

    internal PromptProjectorEstimator(MLContext context, PromptProjectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = options;
    }

    public PromptProjectorTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var source = _options.SourcePrompt!;
        var label = LabelColumn.From(input.Schema, _options.LabelColumnName);
        var textColumns = _options.TextColumnNames.ToList();
        TextColumnReader.Columns(input.Schema, textColumns);
        bool taskTuning = _options.Method == ProjectionMethod.TaskTuning;
        var train = taskTuning ? LabelledRows.Read(input, textColumns, label, _options.LabelColumnName, "training") : null;
        var validation = _options.ValidationData is null ? null
            : LabelledRows.Read(_options.ValidationData, textColumns, LabelColumn.From(_options.ValidationData.Schema, _options.LabelColumnName), _options.LabelColumnName, "validation");
        var labelWords = ResolveLabelWords(label, train);

        string targetPath = _options.ResolvedTargetBackbone!;
        var (backbone, directory) = BackboneCache.Acquire(targetPath, DeviceSelection.Select(_context));
        try
        {
            var target = BackboneInfo.FromModel(backbone, targetPath);
            if (_options.TargetPrompt is { } targetPrompt && !targetPrompt.Backbone.IsSameArchitectureAs(target))
                throw new ArgumentException($"The target prompt belongs to {targetPrompt.Backbone}, but the target backbone is {target}.", nameof(input));
            var template = _options.Template is not null ? PromptTemplate.Parse(_options.Template)
                : _options.TargetPrompt?.Template ?? ProjectedTemplate.For(source.Template, target, _options.TargetPrompt?.TokenCount ?? source.TokenCount);
            var classifier = TargetClassifier.Create(backbone, directory, template, labelWords, _options.MultiTokenHandling, _options.MaxLength);
            var binding = new TextColumnBinding(template, textColumns);
            PromptTuningLog.Info(_context, $"Training a prompt projector ({_options.Method}) from {source.Backbone} to {target}.");

            var result = Train(classifier, binding, train, validation, labelWords, targetPath);
            try
            {
                var projected = result.Projector.Project(source, template, labelWords);
                var outputs = _options.OutputSchema(label, labelWords.Labels, backbone.HiddenSize);
                var transformer = SoftPromptTransformer.Create(_context, classifier, binding, WithSummary(projected, result), new BackboneReference(targetPath, directory), outputs,
                    _options.InferenceBatchSize, result.LearningCurve);
                return new PromptProjectorTransformer(_context, result.Projector, transformer);
            }
            catch
            {
                result.Dispose();
                throw;
            }
        }
        catch
        {
            BackboneCache.Release(backbone);
            throw;
        }
    }

    /// <summary>Runs the chosen method; validation rows (either method) are scored zero-shot with the projected prompt.</summary>
    private PromptProjectorTrainingResult Train(PromptClassifier classifier, TextColumnBinding binding, LabelledRows? train, LabelledRows? validation,
        LabelWords labelWords, string targetPath)
    {
        var source = _options.SourcePrompt!;
        var validationExamples = validation?.Examples(binding, labelWords, "validation");
        var trainer = new PromptProjectorTrainer(_options.Projector);
        using var progress = new TrainingProgressLog(_context, _options.Progress, "Prompt-projector training");
        if (train is not null)
            return trainer.TrainTaskTuning([new ProjectionTask(source, classifier, train.Examples(binding, labelWords, "training"), validationExamples)],
                targetPath, progress, _options.CancellationToken);
        return trainer.TrainDistanceMinimizing([new PromptPair(source, _options.TargetPrompt!)],
            validationExamples is null ? null : [new ProjectionTask(source, classifier, [], validationExamples)], progress, _options.CancellationToken);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var words = _options.LabelWords ?? _options.TargetPrompt?.LabelWords ?? _options.SourcePrompt?.LabelWords;
        return OutputShape.Of(_context, inputSchema, _options, words?.Count ?? 0);
    }

    /// <summary>The given words, else the target prompt's, else the source prompt's; Task Tuning checks them against the rows
    /// (and falls back to the label values).</summary>
    private LabelWords ResolveLabelWords(LabelColumn label, LabelledRows? train)
    {
        var given = _options.LabelWords ?? _options.TargetPrompt?.LabelWords ?? _options.SourcePrompt!.LabelWords;
        if (train is not null)
            return train.ResolveLabelWords(label, given, _options.LabelColumnName);
        var words = given ?? throw new ArgumentException("Distance Minimizing needs label words: set PromptProjectorOptions.LabelWords or use a target prompt that records them.");
        // No rows are read here, so the words must still fit the label column's type: boolean and key outputs map labels to values.
        IReadOnlyList<string>? values = label.Kind switch
        {
            LabelKind.Boolean => ["false", "true"],
            LabelKind.Key => label.KeyValues,
            _ => null,
        };
        if (values is not null && (words.Labels.Any(l => !values.Contains(l)) || (label.Kind == LabelKind.Boolean && !words.Labels.Contains("true"))))
            throw new ArgumentException($"Label column '{_options.LabelColumnName}' is {label.Kind} with values {string.Join(", ", values)}, but the label words are for {string.Join(", ", words.Labels)}; " +
                "set PromptProjectorOptions.LabelWords with those values.");
        return words;
    }

    /// <summary>The projected prompt with the projector's training recorded in its summary.</summary>
    private SoftPrompt WithSummary(SoftPrompt projected, PromptProjectorTrainingResult result)
    {
        using (projected)
        {
            var summary = new Dictionary<string, string>(projected.TrainingSummary, StringComparer.Ordinal)
            {
                ["projection_method"] = _options.Method.ToString(),
                ["projector_steps"] = result.Steps.ToString(CultureInfo.InvariantCulture),
                ["projector_best_validation_accuracy"] = result.BestValidationMetric?.ToString("R", CultureInfo.InvariantCulture) ?? "",
                ["projector_wall_seconds"] = result.WallTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            };
            return new SoftPrompt(projected.Embeddings, projected.Backbone, projected.Template, projected.LabelWords, summary);
        }
    }
}
