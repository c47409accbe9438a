using System.CommandLine;
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
        var command = new System.CommandLine.Command("transfer-matrix",
            "Train (or load) a prompt per task, evaluate every prompt and a random prompt zero-shot on every task with the target's template and verbalizer, and correlate the transferability indicators with the relative performance.")
        {
            tasks, output,
        };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var taskList = settings.Catalog(parse).Get(TransferSettings.SplitList(parse.GetValue(tasks)!));
            string folder = parse.GetValue(output)!.FullName;
            using var evaluator = settings.Evaluator(parse, cancellationToken);
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
}
