using System.CommandLine;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Transfer;
using Microsoft.ML.PromptTuning.Transfer.Indicators;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>indicators</c>: transferability indicators between saved prompts, correlated with a transfer matrix when one is given.</summary>
internal static class IndicatorsCommand
{
    public static System.CommandLine.Command Create()
    {
        var backbone = new Option<string>("--backbone") { Description = "Backbone model folder or hub id the prompts belong to (ON feeds them through it).", Required = true };
        var prompts = new Option<string[]>("--prompts") { Description = "Prompt files as name=path.safetensors, or a folder whose *.safetensors are named by file name.", Required = true, AllowMultipleArgumentsPerToken = true };
        var matrix = new Option<FileInfo?>("--matrix") { Description = "transfer-matrix.json from transfer-matrix: adds each indicator's Spearman/Pearson correlation and source-recommendation hits." };
        var layerWindow = new Option<int>("--layer-window") { Description = "Layers per window of the per-window ON indicator.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<DirectoryInfo>("--output") { Description = "Output folder: transferability-report.json and transferability-summary.md.", Required = true };
        var command = new System.CommandLine.Command("indicators",
            "Compute prompt-embedding similarities (cosine, Euclidean; concatenated, averaged, token-wise) and the activated-neuron overlap (ON) between prompts, and their correlation with zero-shot transfer.")
        {
            backbone, prompts, matrix, layerWindow, threads, output,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var named = ReadPrompts(TransferSettings.SplitList(parse.GetValue(prompts)!));
            try
            {
                var transfer = parse.GetValue(matrix) is { } file ? TransferMatrix.FromJson(File.ReadAllText(file.FullName)) : null;
                var targets = transfer?.Targets.Where(t => named.Any(p => p.Key == t)).ToList() ?? named.Select(p => p.Key).ToList();
                using var evaluator = new MLContext().PromptTuning().TransferabilityEvaluator(new TransferabilityOptions
                {
                    Backbone = parse.GetValue(backbone)!,
                    PromptLength = named[0].Value.TokenCount,
                    NeuronLayerWindow = parse.GetValue(layerWindow),
                    CancellationToken = cancellationToken,
                });
                var indicators = evaluator.Indicators(named, targets);
                var correlations = transfer is null ? [] : indicators.Select(i => IndicatorCorrelation.Compute(i, transfer)).ToList();
                var report = new TransferabilityReport(evaluator.Options.Backbone, evaluator.Options.PromptLength, transfer, indicators, correlations, []);
                foreach (string written in report.Save(parse.GetValue(output)!.FullName))
                    Console.WriteLine($"wrote {written}");
                Console.WriteLine(report.SummaryMarkdown());
            }
            finally
            {
                named.ForEach(p => p.Value.Dispose());
            }
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>name=path entries, or folders of <c>*.safetensors</c> named by file name.</summary>
    private static List<KeyValuePair<string, SoftPrompt>> ReadPrompts(IEnumerable<string> entries)
    {
        var files = new List<(string Name, string Path)>();
        foreach (string entry in entries)
        {
            int equals = entry.IndexOf('=');
            if (equals > 0)
                files.Add((entry[..equals], entry[(equals + 1)..]));
            else if (Directory.Exists(entry))
                files.AddRange(Directory.EnumerateFiles(entry, "*.safetensors").Order(StringComparer.Ordinal).Select(f => (Path.GetFileNameWithoutExtension(f), f)));
            else
                throw new ArgumentException($"--prompts: '{entry}' is neither name=path nor a folder.");
        }
        if (files.Count < 2)
            throw new ArgumentException($"--prompts: {files.Count} prompt(s) found; indicators compare at least two.");
        var prompts = new List<KeyValuePair<string, SoftPrompt>>();
        try
        {
            foreach (var (name, path) in files)
                prompts.Add(new(name, SoftPrompt.Load(path)));
        }
        catch
        {
            prompts.ForEach(p => p.Value.Dispose());
            throw;
        }
        return prompts;
    }
}
