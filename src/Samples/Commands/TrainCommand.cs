using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Samples.Terminal;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>train</c>: prompt tuning on a user's TSV/CSV/JSONL/JSON data through the ML.NET estimator; writes the prompt, its PEFT export, the ML.NET zip and metrics.</summary>
internal static class TrainCommand
{
    public static System.CommandLine.Command Create()
    {
        var backbone = new Option<string>("--backbone") { Description = "Backbone model folder or hub id (org/name[@revision]).", Required = true };
        var train = new Option<FileInfo>("--train") { Description = "Training data (.tsv, .csv, .jsonl or .json).", Required = true };
        var test = new Option<FileInfo?>("--test") { Description = "Evaluation data, scored once at the end (e.g. SST-2's dev.tsv)." };
        var textColumns = new Option<string[]>("--text-columns") { Description = "Text columns bound to the template's placeholders.", Required = true, AllowMultipleArgumentsPerToken = true };
        var labelColumn = new Option<string>("--label-column") { Description = "Label column.", DefaultValueFactory = _ => "label" };
        var labelWords = new Option<string?>("--label-words") { Description = "Label words, e.g. \"0=negative,1=positive\" (several words: 1=great|good)." };
        var template = new Option<string?>("--template") { Description = "Template, e.g. \"{soft:100}{mask}{text_a}\" (default: the backbone's default layout)." };
        var promptLength = new Option<int>("--prompt-length") { Description = "Soft tokens of the default template.", DefaultValueFactory = _ => 100 };
        var steps = new Option<int>("--steps") { Description = "Maximum optimisation steps.", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per step.", DefaultValueFactory = _ => 16 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Peak learning rate of the prompt.", DefaultValueFactory = _ => 3e-3 };
        var warmup = new Option<int>("--warmup-steps") { Description = "Linear warmup steps.", DefaultValueFactory = _ => 0 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Validate every this many steps (the best prompt is kept).", DefaultValueFactory = _ => 100 };
        var patience = new Option<int?>("--patience") { Description = "Stop after this many evaluations without improvement." };
        var validationRows = new Option<int>("--validation-rows") { Description = "Training rows held out for validation.", DefaultValueFactory = _ => 500 };
        var maxTrainRows = new Option<int?>("--max-train-rows") { Description = "Use at most this many training rows (a seeded sample)." };
        var init = new Option<PromptInitialization>("--init") { Description = "Prompt initialisation.", DefaultValueFactory = _ => PromptInitialization.SampledVocabulary };
        var seed = new Option<int>("--seed") { Description = "Seed of sampling, initialisation and batch order.", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<DirectoryInfo>("--output") { Description = "Output folder: prompt.safetensors, peft/, model.zip, metrics.json.", Required = true };

        var command = new System.CommandLine.Command("train", "Train a soft prompt on a frozen backbone for a classification dataset and evaluate it.")
        {
            backbone, train, test, textColumns, labelColumn, labelWords, template, promptLength, steps, batch, learningRate, warmup, evalEvery, patience,
            validationRows, maxTrainRows, init, seed, threads, output,
        };
        command.SetAction(parse =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var columns = parse.GetValue(textColumns)!.ToList();
            string label = parse.GetValue(labelColumn)!;
            int seedValue = parse.GetValue(seed);
            var all = TabularFile.Load(parse.GetValue(train)!.FullName, columns.Append(label).ToList());
            var order = Enumerable.Range(0, all.RowCount).ToArray();
            new Random(seedValue).Shuffle(order);
            int validationCount = Math.Min(parse.GetValue(validationRows), all.RowCount / 5);
            int trainCount = Math.Min(parse.GetValue(maxTrainRows) ?? int.MaxValue, all.RowCount - validationCount);
            var validation = all.Subset(order.Take(validationCount));
            var training = all.Subset(order.Skip(validationCount).Take(trainCount));

            var context = new MLContext(seedValue);
            var progressLine = new ProgressLine("train");
            var options = new SoftPromptOptions
            {
                Backbone = parse.GetValue(backbone)!,
                Template = parse.GetValue(template),
                PromptLength = parse.GetValue(promptLength),
                TextColumnNames = columns,
                LabelColumnName = label,
                LabelWords = ParseLabelWords(parse.GetValue(labelWords)),
                Initialization = new PromptInitializerOptions { Mode = parse.GetValue(init), Seed = seedValue },
                ValidationData = validationCount > 0 ? validation : null,
                Trainer = new SoftPromptTrainerOptions
                {
                    MaxSteps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(learningRate),
                    WarmupSteps = parse.GetValue(warmup), EvaluateEverySteps = parse.GetValue(evalEvery), EarlyStoppingPatience = parse.GetValue(patience),
                    Seed = seedValue, CheckpointDirectory = Path.Combine(parse.GetValue(output)!.FullName, "checkpoint"),
                },
                Progress = new SynchronousProgress<SoftPromptTrainingProgress>(p => progressLine.Update(p.Step, p.MaxSteps, p.Elapsed,
                    $"loss {p.Loss:F4} val {p.ValidationMetric?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"} best {p.BestValidationMetric?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"}")),
            };
            using var model = context.PromptTuning().SoftPrompt(options).Fit(training);

            string outputDirectory = parse.GetValue(output)!.FullName;
            Directory.CreateDirectory(outputDirectory);
            model.Prompt.Save(Path.Combine(outputDirectory, "prompt.safetensors"));
            model.Prompt.ExportPeft(Path.Combine(outputDirectory, "peft"));
            context.Model.Save(model, training.Schema, Path.Combine(outputDirectory, "model.zip"));
            double? testAccuracy = parse.GetValue(test) is { } testFile ? Accuracy(model, TabularFile.Load(testFile.FullName, columns.Append(label).ToList()), label) : null;
            var metrics = new
            {
                trainRows = training.RowCount,
                validationRows = validation.RowCount,
                bestValidationAccuracy = model.Prompt.TrainingSummary.GetValueOrDefault("best_validation_accuracy"),
                testAccuracy,
                learningCurve = model.LearningCurve,
            };
            File.WriteAllText(Path.Combine(outputDirectory, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"best validation accuracy {metrics.bestValidationAccuracy}; test accuracy {testAccuracy?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"}; written to {outputDirectory}");
            return 0;
        });
        return command;
    }

    private static double Accuracy(SoftPromptTransformer model, TextTable data, string labelColumn)
    {
        var scored = model.Transform(data);
        var predicted = scored.GetColumn<string>("PredictedLabel").ToArray();
        var gold = data.GetColumn<string>(labelColumn).ToArray();
        return (double)predicted.Zip(gold).Count(p => p.First == p.Second) / gold.Length;
    }

    /// <summary>"0=negative,1=positive" or "0=bad|awful,1=good|great" → label words.</summary>
    internal static LabelWords? ParseLabelWords(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var pairs = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(pair =>
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
                throw new ArgumentException($"--label-words: '{pair}' is not label=word.");
            return new KeyValuePair<string, IReadOnlyList<string>>(pair[..equals].Trim(), pair[(equals + 1)..].Split('|', StringSplitOptions.TrimEntries));
        });
        return new LabelWords(pairs);
    }
}
