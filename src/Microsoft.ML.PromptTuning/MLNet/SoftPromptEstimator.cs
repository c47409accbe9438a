using System.Globalization;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Trains a soft prompt on a frozen backbone from an <see cref="IDataView"/> of text columns and a label (text, boolean or
/// key). Create it with <c>mlContext.PromptTuning().SoftPrompt(options)</c>.
/// </summary>
public sealed class SoftPromptEstimator : IEstimator<SoftPromptTransformer>
{
    private readonly MLContext _context;
    private readonly SoftPromptOptions _options;

    internal SoftPromptEstimator(MLContext context, SoftPromptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = options;
    }

    public SoftPromptTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var label = LabelColumn.From(input.Schema, _options.LabelColumnName);
        var textColumns = _options.TextColumnNames.ToList();
        var train = LabelledRows.Read(input, textColumns, label, _options.LabelColumnName, "training");
        var labelWords = train.ResolveLabelWords(label, _options.LabelWords, _options.LabelColumnName);
        var validation = _options.ValidationData is null ? null
            : LabelledRows.Read(_options.ValidationData, textColumns, LabelColumn.From(_options.ValidationData.Schema, _options.LabelColumnName), _options.LabelColumnName, "validation");

        var (backbone, directory) = BackboneCache.Acquire(_options.Backbone, DeviceSelection.Select(_context));
        try
        {
            var template = _options.Template is null ? TargetClassifier.DefaultTemplate(backbone, _options.PromptLength) : PromptTemplate.Parse(_options.Template);
            var classifier = TargetClassifier.Create(backbone, directory, template, labelWords, _options.MultiTokenHandling, _options.MaxLength);
            var binding = new TextColumnBinding(template, textColumns);
            PromptTuningLog.Info(_context, $"Training a {template.SoftTokenCount}-token prompt on {backbone.ModelType} ({directory}) with {train.Texts.Count} rows, labels {string.Join(", ", labelWords.Labels)}.");

            using var initial = PromptInitializer.Create(backbone, template.SoftTokenCount, _options.Initialization, classifier.Encoder.Tokenizer);
            using var progress = new TrainingProgressLog(_context, _options.Progress, "Soft-prompt training");
            using var result = new SoftPromptTrainer(classifier, _options.Trainer).Train(initial,
                train.Examples(binding, labelWords, "training"), validation?.Examples(binding, labelWords, "validation"), progress, _options.CancellationToken);

            var prompt = new SoftPrompt(result.Prompt, BackboneInfo.FromModel(backbone, _options.Backbone), template, labelWords, Summary(result, train.Texts.Count));
            var outputs = _options.OutputSchema(label, labelWords.Labels, backbone.HiddenSize);
            return SoftPromptTransformer.Create(_context, classifier, binding, prompt, new BackboneReference(_options.Backbone, directory), outputs, _options.InferenceBatchSize, result.LearningCurve);
        }
        catch
        {
            BackboneCache.Release(backbone);
            throw;
        }
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => OutputShape.Of(_context, inputSchema, _options, _options.LabelWords?.Count ?? 0);

    private static Dictionary<string, string> Summary(SoftPromptTrainingResult result, int rows) => new()
    {
        ["rows"] = rows.ToString(CultureInfo.InvariantCulture),
        ["steps"] = result.Steps.ToString(CultureInfo.InvariantCulture),
        ["best_step"] = result.BestStep?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["best_validation_accuracy"] = result.BestValidationMetric?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        ["wall_seconds"] = result.WallTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
    };
}
