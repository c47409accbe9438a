using System.Globalization;
using System.Text;
using Microsoft.ML.PromptTuning.Tasks;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>
/// Zero-shot cross-task transfer, as in Su et al. (2022), Figure 2: each source prompt (rows, the random prompt last) read
/// through each target task's template and verbalizer (columns). <see cref="Scores"/> holds the absolute metrics,
/// <see cref="Relative"/> the relative performance <c>100 × metric(source on target) / metric(target's own prompt)</c>.
/// </summary>
public sealed class TransferMatrix
{
    /// <summary>The row of the randomly initialised prompt.</summary>
    public const string RandomPromptName = "random";

    /// <summary>Creates the matrix from <paramref name="scores"/> <c>[source][target]</c> and each target's own score.</summary>
    /// <exception cref="ArgumentException">The dimensions disagree.</exception>
    public TransferMatrix(IReadOnlyList<string> sources, IReadOnlyList<string> targets, IReadOnlyList<IReadOnlyList<TaskScore>> scores, IReadOnlyList<TaskScore> ownScores)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(ownScores);
        if (scores.Count != sources.Count || scores.Any(row => row.Count != targets.Count))
            throw new ArgumentException($"The scores must be [{sources.Count} sources][{targets.Count} targets].", nameof(scores));
        if (ownScores.Count != targets.Count)
            throw new ArgumentException($"{ownScores.Count} own scores for {targets.Count} targets.", nameof(ownScores));
        Sources = sources;
        Targets = targets;
        Scores = scores;
        OwnScores = ownScores;
        Relative = scores.Select(row => (IReadOnlyList<double>)row.Select((score, t) => RelativePerformance(score.Primary, ownScores[t].Primary)).ToArray()).ToArray();
    }

    /// <summary>Source prompt names (rows).</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Target task names (columns).</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>Absolute metrics <c>[source][target]</c>.</summary>
    public IReadOnlyList<IReadOnlyList<TaskScore>> Scores { get; }

    /// <summary>Each target's own prompt on itself: the denominator of <see cref="Relative"/>.</summary>
    public IReadOnlyList<TaskScore> OwnScores { get; }

    /// <summary>Relative performance in percent <c>[source][target]</c>.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Relative { get; }

    /// <summary><c>100 × sourceOnTarget / ownOnTarget</c>; NaN when the target's own metric is 0.</summary>
    public static double RelativePerformance(double sourceOnTarget, double ownOnTarget) =>
        ownOnTarget == 0 ? double.NaN : 100.0 * sourceOnTarget / ownOnTarget;

    /// <summary>One line per (source, target): absolute accuracy, F1 when reported, relative performance.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("source,target,accuracy,f1,relative_performance,own_accuracy,rows\n");
        for (int s = 0; s < Sources.Count; s++)
            for (int t = 0; t < Targets.Count; t++)
            {
                var score = Scores[s][t];
                csv.Append(CultureInfo.InvariantCulture,
                    $"{Sources[s]},{Targets[t]},{score.Accuracy:R},{(score.F1 is double f1 ? f1.ToString("R", CultureInfo.InvariantCulture) : "")},{Relative[s][t]:R},{OwnScores[t].Accuracy:R},{score.Rows}\n");
            }
        return csv.ToString();
    }

    /// <summary>Two Markdown tables: relative performance (%) and absolute accuracy (%), rows = sources, columns = targets.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("Relative performance (%): 100 × metric(source prompt on target) / metric(target's own prompt)").AppendLine();
        AppendTable(text, (s, t) => Format(Relative[s][t]));
        text.AppendLine().AppendLine("Absolute accuracy (%) on the target's evaluation rows").AppendLine();
        AppendTable(text, (s, t) => Format(100 * Scores[s][t].Accuracy));
        return text.ToString();
    }

    private void AppendTable(StringBuilder text, Func<int, int, string> cell)
    {
        text.Append("| source \\ target |").AppendJoin("", Targets.Select(t => $" {t} |")).AppendLine();
        text.Append("|---|").AppendJoin("", Targets.Select(_ => "---:|")).AppendLine();
        for (int s = 0; s < Sources.Count; s++)
            text.Append($"| {Sources[s]} |").AppendJoin("", Targets.Select((_, t) => $" {cell(s, t)} |")).AppendLine();
    }

    private static string Format(double value) => double.IsNaN(value) ? "–" : value.ToString("F1", CultureInfo.InvariantCulture);
}
