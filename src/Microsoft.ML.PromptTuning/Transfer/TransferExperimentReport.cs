using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>
/// The seminar's experiment in one report: a prompt trained on the source task, its accuracy there, its zero-shot accuracy
/// on the target task (next to a random prompt's), and the target prompt tuned from random vs from the source prompt
/// (final accuracies, learning curves, speed-up). Owns the source prompt.
/// </summary>
public sealed class TransferExperimentReport : IDisposable
{
    /// <summary>File names written by <see cref="Save"/>.</summary>
    public const string JsonFile = "report.json", MarkdownFile = "report.md", CurvesFile = "learning-curves.png";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    internal TransferExperimentReport(string backbone, int promptLength, TaskPromptTraining source, TaskScore sourceScore, TaskScore zeroShot,
        TaskScore randomZeroShot, InitializationTransfer initialization)
    {
        Backbone = backbone;
        PromptLength = promptLength;
        SourcePrompt = source.Prompt;
        SourceCurve = source.LearningCurve;
        SourceScore = sourceScore;
        ZeroShot = zeroShot;
        RandomZeroShot = randomZeroShot;
        Initialization = initialization;
    }

    public string Backbone { get; }

    public int PromptLength { get; }

    public string SourceTask => Initialization.Source;

    public string TargetTask => Initialization.Target;

    /// <summary>The prompt trained on the source task (the best on its validation rows).</summary>
    public SoftPrompt SourcePrompt { get; }

    public IReadOnlyList<LearningCurvePoint> SourceCurve { get; }

    /// <summary>The source prompt on the source task's evaluation rows.</summary>
    public TaskScore SourceScore { get; }

    /// <summary>The source prompt on the target task's evaluation rows, read through the target's template and verbalizer.</summary>
    public TaskScore ZeroShot { get; }

    /// <summary>The random (untrained) prompt on the target task: the zero-shot baseline.</summary>
    public TaskScore RandomZeroShot { get; }

    /// <summary>The target prompt tuned from random vs from the source prompt: curves, speed-ups, final accuracies.</summary>
    public InitializationTransfer Initialization { get; }

    /// <summary>The seminar's table and the speed-up, in Markdown.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Prompt transfer {SourceTask} → {TargetTask} on {Path.GetFileName(Backbone.TrimEnd('/', '\\'))} ({PromptLength} soft tokens)\n\n");
        text.Append("| | accuracy |\n|---|---:|\n");
        Row(text, $"{SourceTask} prompt on {SourceTask} (source)", SourceScore);
        Row(text, $"{SourceTask} prompt on {TargetTask}, zero-shot", ZeroShot);
        Row(text, $"random prompt on {TargetTask}, zero-shot", RandomZeroShot);
        Row(text, $"{TargetTask} prompt tuned from random init", Initialization.RandomFinal);
        Row(text, $"{TargetTask} prompt tuned from the {SourceTask} prompt", Initialization.TransferFinal);
        double relative = TransferMatrix.RelativePerformance(ZeroShot.Primary, Initialization.RandomFinal.Primary);
        text.Append(CultureInfo.InvariantCulture, $"\nrelative zero-shot performance: {(double.IsNaN(relative) ? "– (the target-trained prompt scores 0)" : $"{relative:F1} %")} of the target-trained prompt\n\n");
        text.Append("| speed-up to | steps random / transferred | × (steps) | seconds random / transferred | × (time) |\n|---|---:|---:|---:|---:|\n");
        foreach (var c in Initialization.Crossings)
            text.Append(CultureInfo.InvariantCulture,
                $"| {c.Fraction:P0} of the random run's best validation accuracy | {Step(c.RandomStep)} / {Step(c.TransferStep)} | {Ratio(c.StepSpeedup)} | {Seconds(c.RandomSeconds)} / {Seconds(c.TransferSeconds)} | {Ratio(c.TimeSpeedup)} |\n");
        return text.ToString();
    }

    /// <summary>Writes report.json, report.md, learning-curves.png and the source prompt (safetensors and PEFT folder), each atomically; returns the paths.</summary>
    public IReadOnlyList<string> Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var document = new
        {
            backbone = Backbone, promptLength = PromptLength, sourceTask = SourceTask, targetTask = TargetTask,
            source = SourceScore, zeroShot = ZeroShot, randomZeroShot = RandomZeroShot,
            targetFromRandom = Initialization.RandomFinal, targetFromSource = Initialization.TransferFinal,
            crossings = Initialization.Crossings, sourceCurve = SourceCurve, randomCurve = Initialization.RandomCurve, transferCurve = Initialization.TransferCurve,
        };
        var paths = new List<string>
        {
            TransferabilityReport.WriteAtomically(Path.Combine(directory, JsonFile), JsonSerializer.SerializeToUtf8Bytes(document, Json)),
            TransferabilityReport.WriteAtomically(Path.Combine(directory, MarkdownFile), Encoding.UTF8.GetBytes(ToMarkdown())),
            TransferabilityReport.WriteAtomically(Path.Combine(directory, CurvesFile), TransferabilityReport.RenderLearningCurves(Initialization)),
        };
        string promptFile = Path.Combine(directory, $"{SourceTask}-prompt.safetensors");
        SourcePrompt.Save(promptFile);
        SourcePrompt.ExportPeft(Path.Combine(directory, $"{SourceTask}-prompt-peft"));
        return paths.Append(promptFile).ToList();
    }

    public void Dispose() => SourcePrompt.Dispose();

    private static void Row(StringBuilder text, string what, TaskScore score) =>
        text.Append(CultureInfo.InvariantCulture, $"| {what} | {100 * score.Primary:F2} % |\n");

    private static string Step(int? step) => step?.ToString(CultureInfo.InvariantCulture) ?? "never";

    private static string Seconds(double? seconds) => seconds?.ToString("F0", CultureInfo.InvariantCulture) ?? "–";

    private static string Ratio(double? value) => value is double v ? v.ToString("F2", CultureInfo.InvariantCulture) + "×" : "–";
}
