using System.Globalization;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.MLNet.Persistence;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tokenization;
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
        var labelWords = ResolveLabelWords(label, train.Labels);
        var validation = _options.ValidationData is null ? null
            : LabelledRows.Read(_options.ValidationData, textColumns, LabelColumn.From(_options.ValidationData.Schema, _options.LabelColumnName), _options.LabelColumnName, "validation");

        var (backbone, directory) = BackboneCache.Acquire(_options.Backbone, DeviceSelection.Select(_context));
        try
        {
            var tokenizer = ModelTokenizer.FromDirectory(directory);
            var template = _options.Template is null
                ? backbone is MaskedLanguageModel ? PromptTemplate.MaskedLmDefault(_options.PromptLength) : PromptTemplate.Seq2SeqDefault(_options.PromptLength)
                : PromptTemplate.Parse(_options.Template);
            var classifier = new PromptClassifier(backbone, new PromptEncoder(template, tokenizer, _options.MaxLength ?? backbone.MaxSequenceLength),
                new Verbalizer(labelWords, tokenizer, _options.MultiTokenHandling));
            var binding = new TextColumnBinding(template, textColumns);
            PromptTuningLog.Info(_context, $"Training a {template.SoftTokenCount}-token prompt on {backbone.ModelType} ({directory}) with {train.Texts.Count} rows, labels {string.Join(", ", labelWords.Labels)}.");

            using var initial = PromptInitializer.Create(backbone, template.SoftTokenCount, _options.Initialization, tokenizer);
            using var progress = new LoggingProgress(_context, _options.Progress);
            using var result = new SoftPromptTrainer(classifier, _options.Trainer).Train(initial,
                Examples(train, binding, labelWords, "training"), validation is null ? null : Examples(validation, binding, labelWords, "validation"),
                progress, _options.CancellationToken);

            var prompt = new SoftPrompt(result.Prompt, BackboneInfo.FromModel(backbone, _options.Backbone), template, labelWords, Summary(result, train.Texts.Count));
            var predictor = new SoftPromptPredictor(classifier, binding, result.Prompt, _options.InferenceBatchSize);
            var outputs = new SoftPromptOutputSchema(label, labelWords.Labels, _options.PredictedLabelColumnName, _options.ScoreColumnName, _options.ProbabilityColumnName);
            var state = SoftPromptState.Create(result.Prompt, predictor, _options.Backbone, BackboneCache.WeightsSha256(directory), label);
            return new SoftPromptTransformer(_context, predictor, prompt, state, outputs, result.LearningCurve);
        }
        catch
        {
            BackboneCache.Release(backbone);
            throw;
        }
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => OutputShape.Of(_context, inputSchema, _options);

    /// <summary>The verbalizer's labels: the given words, or the label values themselves in the column's order.</summary>
    private LabelWords ResolveLabelWords(LabelColumn label, IReadOnlyList<string> observed)
    {
        var labels = label.Kind == LabelKind.Text ? observed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : label.KeyValues.ToList();
        var words = _options.LabelWords ?? new LabelWords(labels.Select(l => new KeyValuePair<string, IReadOnlyList<string>>(l, [l])));
        if (words.Count < 2)
            throw new ArgumentException($"Label column '{_options.LabelColumnName}' has a single class ({string.Join(", ", words.Labels)}); a classifier needs at least two.");
        foreach (string value in observed.Distinct())
            if (!words.Labels.Contains(value))
                throw new ArgumentException($"Label '{value}' of column '{_options.LabelColumnName}' has no label words; the verbalizer knows {string.Join(", ", words.Labels)}.");
        return words;
    }

    private static List<PromptExample> Examples(LabelledRows rows, TextColumnBinding binding, LabelWords words, string what)
    {
        var indices = words.Labels.Select((label, index) => (label, index)).ToDictionary(p => p.label, p => p.index, StringComparer.Ordinal);
        var examples = new List<PromptExample>(rows.Texts.Count);
        for (int i = 0; i < rows.Texts.Count; i++)
        {
            if (!indices.TryGetValue(rows.Labels[i], out int index))
                throw new ArgumentException($"{what} row {i} has label '{rows.Labels[i]}', which the verbalizer does not know ({string.Join(", ", words.Labels)}).");
            examples.Add(new PromptExample(binding.Row(rows.Texts[i]), index));
        }
        return examples;
    }

    private static Dictionary<string, string> Summary(SoftPromptTrainingResult result, int rows) => new()
    {
        ["rows"] = rows.ToString(CultureInfo.InvariantCulture),
        ["steps"] = result.Steps.ToString(CultureInfo.InvariantCulture),
        ["best_step"] = result.BestStep?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["best_validation_accuracy"] = result.BestValidationMetric?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        ["wall_seconds"] = result.WallTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Forwards progress to the caller, to ML.NET's progress channel (step, loss, validation accuracy) and writes each
    /// evaluation to the ML.NET log.
    /// </summary>
    private sealed class LoggingProgress : IProgress<SoftPromptTrainingProgress>, IDisposable
    {
        private readonly MLContext _context;
        private readonly IProgress<SoftPromptTrainingProgress>? _inner;
        private readonly Microsoft.ML.Runtime.IProgressChannel _channel;
        private SoftPromptTrainingProgress? _latest;
        private double? _lastMetric;

        public LoggingProgress(MLContext context, IProgress<SoftPromptTrainingProgress>? inner)
        {
            _context = context;
            _inner = inner;
            _channel = ((Microsoft.ML.Runtime.IProgressChannelProvider)context).StartProgressChannel("Soft-prompt training");
            _channel.SetHeader(new Microsoft.ML.Runtime.ProgressHeader(["loss", "validation accuracy"], ["step"]), entry =>
            {
                if (_latest is not { } latest)
                    return;
                entry.SetProgress(0, latest.Step, latest.MaxSteps);
                entry.SetMetric(0, latest.Loss);
                if (latest.ValidationMetric is double metric)
                    entry.SetMetric(1, metric);
            });
        }

        public void Report(SoftPromptTrainingProgress value)
        {
            _latest = value;
            _inner?.Report(value);
            if (value.ValidationMetric != _lastMetric)
            {
                _lastMetric = value.ValidationMetric;
                _channel.Checkpoint(value.Loss, value.ValidationMetric);
                PromptTuningLog.Info(_context, $"step {value.Step}/{value.MaxSteps}: loss {value.Loss:F4}, validation accuracy {value.ValidationMetric:P2} (best {value.BestValidationMetric:P2})");
            }
        }

        public void Dispose() => _channel.Dispose();
    }
}
