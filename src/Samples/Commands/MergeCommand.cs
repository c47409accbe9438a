using System.CommandLine;
using Microsoft.ML.PromptTuning.Sweeping;
using Microsoft.ML.PromptTuning.Transfer;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>merge</c>: combines the output folders of sharded runs (<c>--shard i/n</c>) of <c>sweep</c> or <c>transfer-matrix</c> into one report.</summary>
internal static class MergeCommand
{
    private const string SweepFile = "sweep.json";

    public static System.CommandLine.Command Create()
    {
        var inputs = new Argument<DirectoryInfo[]>("shards") { Description = "Output folders of the shards (each holding sweep.json or transfer-matrix-rows.json).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder for the merged report (sweep.json/.md, or the transfer-matrix files and heatmap).", Required = true };
        var command = new System.CommandLine.Command("merge", "Merge the output folders of sharded sweep or transfer-matrix runs into one report.") { inputs, output };
        command.SetAction(parse =>
        {
            var folders = parse.GetValue(inputs)!.Select(f => f.FullName).ToList();
            string outputDirectory = parse.GetValue(output)!.FullName;
            if (folders.All(f => File.Exists(Path.Combine(f, SweepFile))))
                MergeSweeps(folders, outputDirectory);
            else if (folders.All(f => File.Exists(Path.Combine(f, TransferMatrixRows.FileName))))
                MergeMatrix(folders, outputDirectory);
            else
                throw new FileNotFoundException($"Every shard folder must hold {SweepFile} (sweep) or {TransferMatrixRows.FileName} (transfer-matrix); missing in " +
                    string.Join(", ", folders.Where(f => !File.Exists(Path.Combine(f, SweepFile)) && !File.Exists(Path.Combine(f, TransferMatrixRows.FileName)))) + ".");
            return 0;
        });
        return command;
    }

    private static void MergeSweeps(IReadOnlyList<string> folders, string outputDirectory)
    {
        var merged = SweepResult.Merge(folders.Select(f => SweepResult.Load(Path.Combine(f, SweepFile))));
        Directory.CreateDirectory(outputDirectory);
        merged.Save(Path.Combine(outputDirectory, SweepFile));
        File.WriteAllText(Path.Combine(outputDirectory, "sweep.md"), merged.ToMarkdown());
        Console.WriteLine(merged.ToMarkdown());
        Console.WriteLine($"merged {folders.Count} sweep shards, {merged.Trials.Count} trials; best: {(merged.Best is { } b ? $"trial {b.Number} at {b.Metric:P2}" : "none")}");
    }

    private static void MergeMatrix(IReadOnlyList<string> folders, string outputDirectory)
    {
        var parts = folders.Select(f => TransferMatrixRows.FromJson(File.ReadAllText(Path.Combine(f, TransferMatrixRows.FileName)))).ToList();
        var matrix = TransferMatrixRows.Merge(parts);
        var report = new TransferabilityReport(parts[0].Backbone, parts[0].PromptLength, matrix, [], [], []);
        foreach (string file in report.Save(outputDirectory))
            Console.WriteLine($"wrote {file}");
        Console.WriteLine(matrix.ToMarkdown());
        Console.WriteLine($"merged {folders.Count} transfer-matrix shards: {matrix.Sources.Count} source rows × {matrix.Targets.Count} targets (indicators: run `indicators` on the shards' prompt folders)");
    }
}
