using System.Text.Json;
using Microsoft.ML.PromptTuning.Tasks;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>
/// Some rows of a zero-shot transfer matrix: source prompts' absolute scores on every target. A sharded run
/// (<c>transfer-matrix --shard i/n</c>) writes the rows of its slice of sources; <see cref="Merge"/> assembles the matrix,
/// taking each target's own score from the row of its own prompt, wherever that row was computed.
/// </summary>
public sealed record TransferMatrixRows(string Backbone, int PromptLength, IReadOnlyList<string> Targets, IReadOnlyList<string> Sources, IReadOnlyList<IReadOnlyList<TaskScore>> Scores)
{
    /// <summary>The file name a shard writes.</summary>
    public const string FileName = "transfer-matrix-rows.json";

    public string ToJson() => JsonSerializer.Serialize(this, TransferabilityReport.Json);

    /// <summary>Writes <see cref="FileName"/> into <paramref name="directory"/> (created if needed) atomically; returns its path.</summary>
    public string Save(string directory)
    {
        Directory.CreateDirectory(directory);
        return TransferabilityReport.WriteAtomically(Path.Combine(directory, FileName), System.Text.Encoding.UTF8.GetBytes(ToJson()));
    }

    /// <exception cref="FormatException">The text is not such rows.</exception>
    public static TransferMatrixRows FromJson(string json)
    {
        try
        {
            var rows = JsonSerializer.Deserialize<TransferMatrixRows>(json, TransferabilityReport.Json);
            if (rows?.Targets is null || rows.Backbone is null || rows.Sources is null || rows.Scores is null || rows.Scores.Count != rows.Sources.Count || rows.Scores.Any(r => r.Count != rows.Targets.Count))
                throw new FormatException("The transfer-matrix rows are incomplete or their dimensions disagree.");
            return rows;
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a transfer-matrix rows file: {e.Message}", e);
        }
    }

    /// <summary>
    /// The matrix of every source row of <paramref name="parts"/> (in target order, the random prompt last) over their common
    /// targets; each source must appear once and each target must have its own prompt among the rows.
    /// </summary>
    /// <exception cref="ArgumentException">Parts over different targets, a repeated source, or a target without its own row.</exception>
    public static TransferMatrix Merge(IEnumerable<TransferMatrixRows> parts)
    {
        var list = parts.ToList();
        if (list.Count == 0)
            throw new ArgumentException("No transfer-matrix rows to merge.", nameof(parts));
        var targets = list[0].Targets;
        if (list.FirstOrDefault(p => p.Backbone != list[0].Backbone || p.PromptLength != list[0].PromptLength) is { } mismatch)
            throw new ArgumentException($"Rows of different backbones or prompt lengths cannot merge ({list[0].Backbone} x{list[0].PromptLength} vs {mismatch.Backbone} x{mismatch.PromptLength}).", nameof(parts));
        if (list.FirstOrDefault(p => !p.Targets.SequenceEqual(targets)) is { } other)
            throw new ArgumentException($"Rows over different targets cannot merge ({string.Join(", ", targets)} vs {string.Join(", ", other.Targets)}).", nameof(parts));
        var rows = list.SelectMany(p => p.Sources.Zip(p.Scores)).ToList();
        if (rows.GroupBy(r => r.First).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new ArgumentException($"Source '{repeated.Key}' appears in more than one part; merge each shard once.", nameof(parts));
        var targetIndex = targets.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        // Sources in target order (sources that are not targets after them), the random prompt last.
        int Order(string source) => source == TransferMatrix.RandomPromptName ? int.MaxValue : targetIndex.GetValueOrDefault(source, int.MaxValue - 1);
        rows = rows.OrderBy(r => Order(r.First)).ThenBy(r => r.First, StringComparer.Ordinal).ToList();
        var own = targets.Select((target, t) => rows.FirstOrDefault(r => r.First == target).Second?[t]
            ?? throw new ArgumentException($"Target task '{target}' has no row of its own prompt; relative performance divides by it.", nameof(parts))).ToList();
        return new TransferMatrix(rows.Select(r => r.First).ToList(), targets, rows.Select(r => r.Second).ToList(), own);
    }
}
