using System.CommandLine;
using Microsoft.ML.PromptTuning.Sharding;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Transfer;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>transfer-matrix</c>: zero-shot cross-task transfer over a list of tasks, with the indicators and their correlations.</summary>
internal static class TransferMatrixCommand
{
    public static System.CommandLine.Command Create()
    {
        var settings = new TransferSettings();
        var tasks = new Option<string[]>("--tasks") { Description = "Tasks (catalog names, comma or space separated).", DefaultValueFactory = _ => TransferSettings.PaperTasks, AllowMultipleArgumentsPerToken = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "Output folder: transfer-matrix.csv/.json/.md, transfer-heatmap.png, transferability-summary.md, transferability-report.json.", Required = true };
        var shard = new Option<string?>("--shard") { Description = "Train and score only source slice i/n (0-based) of the tasks, writing transfer-matrix-rows.json; combine the shards' folders with `merge`." };
        var command = new System.CommandLine.Command("transfer-matrix",
            "Train (or load) a prompt per task, evaluate every prompt and a random prompt zero-shot on every task with the target's template and verbalizer, and correlate the transferability indicators with the relative performance.")
        {
            tasks, output, shard,
        };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var taskList = settings.Catalog(parse).Get(TransferSettings.SplitList(parse.GetValue(tasks)!));
            string folder = parse.GetValue(output)!.FullName;
            ShardSlice? slice = parse.GetValue(shard) is string text ? ShardSlice.Parse(text) : null;
            using var evaluator = settings.Evaluator(parse, cancellationToken);
            if (slice is ShardSlice part)
                return Task.FromResult(WriteShard(evaluator, taskList, part, settings.PromptFolder(parse, folder), folder));
            var prompts = TransferSettings.LoadOrTrain(evaluator, taskList, settings.PromptFolder(parse, folder));
            try
            {
                var report = evaluator.Evaluate(prompts, taskList);
                foreach (string file in report.Save(folder))
                    Console.WriteLine($"wrote {file}");
                Console.WriteLine(report.SummaryMarkdown());
            }
            finally
            {
                prompts.ForEach(p => p.Value.Dispose());
            }
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>One shard: the prompts of its slice of source tasks (trained or loaded) scored on every target; the random row in shard 0.</summary>
    private static int WriteShard(TransferabilityEvaluator evaluator, IReadOnlyList<PromptTask> tasks, ShardSlice shard, string promptFolder, string folder)
    {
        var slice = tasks.Where((_, i) => shard.Includes(i)).ToList();
        var prompts = TransferSettings.LoadOrTrain(evaluator, slice, promptFolder);
        try
        {
            var rows = evaluator.ZeroShotRows(prompts, tasks, includeRandom: shard.Index == 0);
            string path = rows.Save(folder);
            Console.WriteLine($"shard {shard}: {rows.Sources.Count} source rows over {tasks.Count} targets written to {path}");
            return 0;
        }
        finally
        {
            prompts.ForEach(p => p.Value.Dispose());
        }
    }
}
