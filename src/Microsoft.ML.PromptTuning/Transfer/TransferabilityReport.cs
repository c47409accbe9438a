using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Transfer.Indicators;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>
/// What <see cref="TransferabilityEvaluator.Evaluate"/> found: the zero-shot transfer matrix, the indicator matrices, each
/// indicator's correlation with relative performance, and transfer-as-initialisation runs. Savable as JSON, Markdown, CSV and PNG.
/// </summary>
public sealed class TransferabilityReport
{
    /// <summary>File names written by <see cref="Save"/>.</summary>
    public const string ReportFile = "transferability-report.json", MatrixCsvFile = "transfer-matrix.csv", MatrixJsonFile = "transfer-matrix.json",
        MatrixMarkdownFile = "transfer-matrix.md", HeatmapFile = "transfer-heatmap.png", IndicatorsMarkdownFile = "indicators.md";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public TransferabilityReport(string backbone, int promptLength, TransferMatrix zeroShot, IReadOnlyList<IndicatorMatrix> indicators,
        IReadOnlyList<IndicatorCorrelation> correlations, IReadOnlyList<InitializationTransfer> initializations)
    {
        ArgumentNullException.ThrowIfNull(zeroShot);
        Backbone = backbone;
        PromptLength = promptLength;
        ZeroShot = zeroShot;
        Indicators = indicators ?? [];
        Correlations = correlations ?? [];
        Initializations = initializations ?? [];
    }

    public string Backbone { get; }

    public int PromptLength { get; }

    /// <summary>Zero-shot transfer: absolute and relative performance of every source prompt on every target.</summary>
    public TransferMatrix ZeroShot { get; }

    /// <summary>Indicator values for every (source, target) pair.</summary>
    public IReadOnlyList<IndicatorMatrix> Indicators { get; }

    /// <summary>Each indicator's Pearson/Spearman correlation with relative performance and its source-recommendation hit rate.</summary>
    public IReadOnlyList<IndicatorCorrelation> Correlations { get; }

    /// <summary>Transfer as initialisation, with both learning curves.</summary>
    public IReadOnlyList<InitializationTransfer> Initializations { get; }

    /// <summary>The whole report as indented JSON (NaN written as <c>"NaN"</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The heatmap of relative performance (PNG bytes).</summary>
    public byte[] RenderHeatmap() => TransferPlots.Heatmap(ZeroShot, $"Zero-shot prompt transfer on {Path.GetFileName(Backbone.TrimEnd('/', '\\'))}");

    /// <summary>Both learning curves of one transfer-as-initialisation run (PNG bytes).</summary>
    public static byte[] RenderLearningCurves(InitializationTransfer run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return TransferPlots.LearningCurves([("random init", run.RandomCurve), ($"init from {run.Source}", run.TransferCurve)], $"{run.Target}: {run.Source} prompt vs random initialisation");
    }

    /// <summary>The file name of a run's learning-curve figure.</summary>
    public static string LearningCurveFile(InitializationTransfer run) => $"init-{run.Source}-to-{run.Target}.png";

    /// <summary>Markdown: the correlation table and the transfer-as-initialisation speed-ups.</summary>
    public string IndicatorsMarkdown()
    {
        var text = new StringBuilder("| indicator | pairs | Spearman | Pearson | top-1 source hit rate |\n|---|---:|---:|---:|---:|\n");
        foreach (var c in Correlations)
            text.Append(CultureInfo.InvariantCulture, $"| {c.Indicator} | {c.Pairs} | {c.Spearman:F3} | {c.Pearson:F3} | {c.RecommendationHits}/{c.RecommendationTargets} |\n");
        if (Initializations.Count > 0)
        {
            text.Append("\n| source → target | fraction of random best | steps random / transfer | speed-up (steps) | seconds random / transfer | speed-up (time) | final accuracy random / transfer |\n|---|---:|---:|---:|---:|---:|---:|\n");
            foreach (var run in Initializations)
                foreach (var c in run.Crossings)
                    text.Append(CultureInfo.InvariantCulture,
                        $"| {run.Source} → {run.Target} | {c.Fraction:P0} | {c.RandomStep?.ToString(CultureInfo.InvariantCulture) ?? "–"} / {c.TransferStep?.ToString(CultureInfo.InvariantCulture) ?? "never"} | {Ratio(c.StepSpeedup)} | {c.RandomSeconds:F0} / {c.TransferSeconds?.ToString("F0", CultureInfo.InvariantCulture) ?? "–"} | {Ratio(c.TimeSpeedup)} | {100 * run.RandomFinal.Primary:F1} / {100 * run.TransferFinal.Primary:F1} |\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// Writes every file of the report into <paramref name="directory"/> (created if needed), each atomically: the JSON report,
    /// the matrix as CSV, JSON and Markdown, the heatmap, the indicator tables and one learning-curve PNG per initialisation run.
    /// Returns the paths written.
    /// </summary>
    public IReadOnlyList<string> Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var files = new List<(string Name, byte[] Content)>
        {
            (ReportFile, Encoding.UTF8.GetBytes(ToJson())),
            (MatrixCsvFile, Encoding.UTF8.GetBytes(ZeroShot.ToCsv())),
            (MatrixJsonFile, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(ZeroShot, Json))),
            (MatrixMarkdownFile, Encoding.UTF8.GetBytes(ZeroShot.ToMarkdown())),
            (HeatmapFile, RenderHeatmap()),
        };
        if (Correlations.Count > 0 || Initializations.Count > 0)
            files.Add((IndicatorsMarkdownFile, Encoding.UTF8.GetBytes(IndicatorsMarkdown())));
        files.AddRange(Initializations.Select(run => (LearningCurveFile(run), RenderLearningCurves(run))));
        return files.Select(f => WriteAtomically(Path.Combine(directory, f.Name), f.Content)).ToList();
    }

    internal static string WriteAtomically(string path, byte[] content)
    {
        AtomicFile.Write(path, stream => stream.Write(content));
        return path;
    }

    private static string Ratio(double? value) => value is double v ? v.ToString("F2", CultureInfo.InvariantCulture) + "×" : "–";
}
