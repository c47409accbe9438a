using System.CommandLine;
using Microsoft.ML.PromptTuning.Transfer;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>transfer-init</c>: target prompts trained from source prompts vs. random initialisation, with learning curves and speed-ups.</summary>
internal static class TransferInitCommand
{
    public static System.CommandLine.Command Create()
    {
        var settings = new TransferSettings();
        var pairs = new Option<string[]>("--pairs") { Description = "source:target pairs, e.g. sst2:rotten_tomatoes imdb:sst2.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "Output folder: init-<source>-to-<target>.png, transferability-report.json, transferability-summary.md.", Required = true };
        var command = new System.CommandLine.Command("transfer-init",
            "Train each target's prompt from the source task's prompt and from random initialisation with identical settings; report the steps and time to 90%/100% of the random run's best validation accuracy and the final accuracy difference.")
        {
            pairs, output,
        };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var pairList = TransferSettings.SplitList(parse.GetValue(pairs)!).Select(ParsePair).ToList();
            var catalog = settings.Catalog(parse);
            var sources = catalog.Get(pairList.Select(p => p.Source).Distinct());
            var targets = catalog.Get(pairList.Select(p => p.Target).Distinct());
            string folder = parse.GetValue(output)!.FullName;
            using var evaluator = settings.Evaluator(parse, cancellationToken);
            var prompts = TransferSettings.LoadOrTrain(evaluator, sources, settings.PromptFolder(parse, folder));
            try
            {
                var runs = pairList.Select(pair => evaluator.TransferAsInitialization(pair.Source, prompts.First(p => p.Key == catalog.Get(pair.Source).Name).Value,
                    targets.First(t => t.Name == catalog.Get(pair.Target).Name))).ToList();
                var report = new TransferabilityReport(evaluator.Options.Backbone, evaluator.Options.PromptLength, null, [], [], runs);
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

    private static (string Source, string Target) ParsePair(string pair)
    {
        var parts = pair.Split(':', StringSplitOptions.TrimEntries);
        return parts.Length == 2 && parts.All(p => p.Length > 0) ? (parts[0], parts[1])
            : throw new ArgumentException($"--pairs: '{pair}' is not source:target.");
    }
}
