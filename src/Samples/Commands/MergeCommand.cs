using System.CommandLine;
using Microsoft.ML.PromptTuning.Sweeping;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>merge</c>: combines the outputs of sharded runs (<c>--shard i/n</c>) into one report.</summary>
internal static class MergeCommand
{
    public static System.CommandLine.Command Create()
    {
        var inputs = new Argument<DirectoryInfo[]>("shards") { Description = "Output folders of the shards (each holding sweep.json).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder for the merged sweep.json and sweep.md.", Required = true };
        var command = new System.CommandLine.Command("merge", "Merge the outputs of sharded sweep runs into one report.") { inputs, output };
        command.SetAction(parse =>
        {
            var folders = parse.GetValue(inputs)!;
            var missing = folders.Select(f => Path.Combine(f.FullName, "sweep.json")).FirstOrDefault(f => !File.Exists(f));
            if (missing is not null)
                throw new FileNotFoundException($"No shard result at {missing}.");
            var merged = SweepResult.Merge(folders.Select(f => SweepResult.Load(Path.Combine(f.FullName, "sweep.json"))));
            string outputDirectory = parse.GetValue(output)!.FullName;
            Directory.CreateDirectory(outputDirectory);
            merged.Save(Path.Combine(outputDirectory, "sweep.json"));
            File.WriteAllText(Path.Combine(outputDirectory, "sweep.md"), merged.ToMarkdown());
            Console.WriteLine(merged.ToMarkdown());
            Console.WriteLine($"merged {folders.Length} shards, {merged.Trials.Count} trials; best: {(merged.Best is { } b ? $"trial {b.Number} at {b.Metric:P2}" : "none")}");
            return 0;
        });
        return command;
    }
}
