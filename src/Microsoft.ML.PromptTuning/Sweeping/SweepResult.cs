using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Sharding;

namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>
/// What a sweep found: every trial (number, parameters, metric, steps, time) and the best one, with its fitted transformer
/// when this process trained it. Saved as JSON; shards of one sweep merge into the result of the unsharded sweep.
/// </summary>
public sealed class SweepResult : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    internal SweepResult(IReadOnlyList<SweepTrial> trials, SweepTrial? best, SoftPromptTransformer? bestModel, ShardSlice shard)
    {
        Trials = trials;
        Best = best;
        BestModel = bestModel;
        Shard = shard;
    }

    public IReadOnlyList<SweepTrial> Trials { get; }

    /// <summary>The best unpruned, successful trial by validation metric (ties: the lower number); null when none succeeded.</summary>
    public SweepTrial? Best { get; }

    /// <summary>The best trial's fitted transformer (owned by this result); null for results loaded from JSON or merged.</summary>
    public SoftPromptTransformer? BestModel { get; }

    public ShardSlice Shard { get; }

    /// <summary>Combines the results of every shard of one sweep; the trials must not overlap.</summary>
    public static SweepResult Merge(IEnumerable<SweepResult> shards)
    {
        var parts = shards.ToList();
        if (parts.Count == 0)
            throw new ArgumentException("No sweep results to merge.", nameof(shards));
        var duplicate = parts.SelectMany(p => p.Trials).GroupBy(t => t.Number).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Trial {duplicate.Key} appears in more than one sweep result; merge each shard once.", nameof(shards));
        var trials = parts.SelectMany(p => p.Trials).OrderBy(t => t.Number).ToList();
        return new SweepResult(trials, BestOf(trials), null, ShardSlice.All);
    }

    /// <summary>The best trial that was neither pruned nor failed.</summary>
    internal static SweepTrial? BestOf(IEnumerable<SweepTrial> trials) =>
        trials.Where(t => !t.Pruned && t.Error is null && t.Metric is not null).OrderByDescending(t => t.Metric).ThenBy(t => t.Number).FirstOrDefault();

    /// <summary>Writes the trials as JSON (atomically).</summary>
    public void Save(string path) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, new Document(Shard.ToString(), Trials.ToList()), Json));

    public static SweepResult Load(string path)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Sweep result '{path}' is not valid JSON: {e.Message}", e);
        }
        if (document?.Trials is null)
            throw new InvalidDataException($"Sweep result '{path}' has no trials.");
        return new SweepResult(document.Trials, BestOf(document.Trials), null, ShardSlice.Parse(document.Shard));
    }

    /// <summary>The results table: one row per trial, parameters as columns, the best trial marked.</summary>
    public string ToMarkdown()
    {
        var names = Trials.SelectMany(t => t.Parameters.Keys).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine($"| trial | {string.Join(" | ", names)} | metric | steps | seconds | status |");
        text.AppendLine($"|---:|{string.Concat(names.Select(_ => "---|"))}---:|---:|---:|---|");
        foreach (var trial in Trials)
        {
            string status = trial.Error is not null ? "failed" : trial.Pruned ? "pruned" : ReferenceEquals(trial, Best) ? "**best**" : "";
            string metric = trial.Metric?.ToString("P2", CultureInfo.InvariantCulture) ?? "-";
            text.AppendLine($"| {trial.Number} | {string.Join(" | ", names.Select(n => trial.Parameters.GetValueOrDefault(n, "-")))} | {metric} | {trial.Steps} | {trial.Seconds.ToString("F1", CultureInfo.InvariantCulture)} | {status} |");
        }
        return text.ToString();
    }

    public void Dispose() => BestModel?.Dispose();

    private sealed record Document(string Shard, List<SweepTrial> Trials);
}
