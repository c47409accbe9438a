using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Tasks;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>evaluate</c>: scores labelled data with a saved ML.NET model zip (from <c>train</c>, <c>sweep</c> or the API).</summary>
internal static class EvaluateCommand
{
    public static System.CommandLine.Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "ML.NET model zip holding a soft prompt (its backbone is found by the path and SHA-256 recorded inside).", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "Labelled data (.tsv, .csv, .jsonl or .json).", Required = true };
        var textColumns = new Option<string[]>("--text-columns") { Description = "Text columns the model reads (the names it was trained with).", Required = true, AllowMultipleArgumentsPerToken = true };
        var labelColumn = new Option<string>("--label-column") { Description = "Label column.", DefaultValueFactory = _ => "label" };
        var output = new Option<FileInfo?>("--output") { Description = "Write the metrics (accuracy, macro F1, confusion counts) as JSON here." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new System.CommandLine.Command("evaluate", "Score labelled data with a saved model zip and report accuracy and macro F1.") { model, data, textColumns, labelColumn, output, threads };
        command.SetAction(parse =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            string label = parse.GetValue(labelColumn)!;
            var context = new MLContext();
            context.PromptTuning(); // registers the library's scorers with this context before loading
            var loaded = context.Model.Load(parse.GetValue(model)!.FullName, out _);
            var table = TabularFile.Load(parse.GetValue(data)!.FullName, parse.GetValue(textColumns)!.Append(label).ToList());
            // The live transformer scores in length-bucketed batches; the loaded chain would score row by row.
            using var live = context.PromptTuning().LoadSoftPrompt(loaded);
            var scored = live.Transform(table);
            var predicted = scored.GetColumn<string>("PredictedLabel").ToArray();
            var gold = table.GetColumn<string>(label).ToArray();
            var labels = gold.Concat(predicted).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            double accuracy = (double)predicted.Zip(gold).Count(p => p.First == p.Second) / gold.Length;
            var f1 = labels.Select(l =>
            {
                int tp = predicted.Zip(gold).Count(p => p.First == l && p.Second == l);
                int fp = predicted.Zip(gold).Count(p => p.First == l && p.Second != l);
                int fn = predicted.Zip(gold).Count(p => p.First != l && p.Second == l);
                return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
            }).ToList();
            var confusion = labels.ToDictionary(g => g, g => labels.ToDictionary(p => p, p => predicted.Zip(gold).Count(x => x.Second == g && x.First == p)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{gold.Length} rows: accuracy {accuracy:P2}, macro F1 {f1.Average():F4}"));
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(new { rows = gold.Length, accuracy, macroF1 = f1.Average(), confusion }, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"written to {file.FullName}");
            }
            return 0;
        });
        return command;
    }
}
