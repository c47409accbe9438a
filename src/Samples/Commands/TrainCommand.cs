using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Samples.Terminal;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Sharding;
using Microsoft.ML.PromptTuning.Training;
using Microsoft.ML.PromptTuning.Transfer;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>train</c>: prompt tuning on a user's TSV/CSV/JSONL/JSON data through the ML.NET estimator; writes the prompt, its PEFT export, the ML.NET zip and metrics.</summary>
internal static class TrainCommand
{
    public static System.CommandLine.Command Create()
    {
        var backbone = new Option<string>("--backbone") { Description = "Backbone model folder or hub id (org/name[@revision]).", Required = true };
        var test = new Option<FileInfo?>("--test") { Description = "Evaluation data, scored once at the end (e.g. SST-2's dev.tsv)." };
        var template = new Option<string?>("--template") { Description = "Template, e.g. \"{soft:100}{mask}{text_a}\" (default: the backbone's default layout)." };
        var promptLength = new Option<int>("--prompt-length") { Description = "Soft tokens of the default template.", DefaultValueFactory = _ => 100 };
        var steps = new Option<int>("--steps") { Description = "Maximum optimisation steps.", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per step.", DefaultValueFactory = _ => 16 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Peak learning rate of the prompt.", DefaultValueFactory = _ => 3e-3 };
        var warmup = new Option<int>("--warmup-steps") { Description = "Linear warmup steps.", DefaultValueFactory = _ => 0 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Validate every this many steps (the best prompt is kept).", DefaultValueFactory = _ => 100 };
        var patience = new Option<int?>("--patience") { Description = "Stop after this many evaluations without improvement." };
        var init = new Option<PromptInitialization>("--init") { Description = "Prompt initialisation.", DefaultValueFactory = _ => PromptInitialization.SampledVocabulary };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<DirectoryInfo>("--output") { Description = "Output folder: prompt.safetensors, peft/, model.zip, metrics.json.", Required = true };
        var probe = new Option<bool>("--probe") { Description = "Also fit a linear probe (ML.NET logistic regression) on the prompt's mask representation of the training rows and report its --test accuracy beside the verbalizer's: how much of the task the frozen state carries." };

        var tasks = new Option<string[]>("--tasks") { Description = "Instead of --train: catalog tasks (e.g. sst2 imdb mnli) whose prompts are trained into the prompt store <output>/<task>.safetensors that transfer-matrix and transfer-init read with --prompts.", AllowMultipleArgumentsPerToken = true };
        var dataFolder = new Option<DirectoryInfo>("--data") { Description = "The data folder of the task catalog (with --tasks).", DefaultValueFactory = _ => new DirectoryInfo(TaskCatalog.DefaultDataDirectory) };
        var shard = new Option<string?>("--shard") { Description = "With --tasks: train only slice i/n (0-based) of the tasks, e.g. 0/4 (Kubernetes JOB_COMPLETION_INDEX, Slurm SLURM_ARRAY_TASK_ID)." };

        var data = new LabelledDataOptions(required: false);
        var command = new System.CommandLine.Command("train", "Train a soft prompt on a frozen backbone for a classification dataset (--train) or for catalog tasks (--tasks, shardable) and evaluate it.")
        {
            backbone, test, template, promptLength, steps, batch, learningRate, warmup, evalEvery, patience, init, threads, output, probe, tasks, dataFolder, shard,
        };
        foreach (var option in data.All)
            command.Options.Add(option);
        command.Validators.Add(result =>
        {
            bool hasFile = result.GetResult(data.Train) is not null, hasTasks = result.GetResult(tasks) is not null;
            if (hasFile == hasTasks)
                result.AddError("Give either --train (with --text-columns) or --tasks.");
            else if (hasFile && result.GetResult(data.TextColumns) is null)
                result.AddError("Option '--text-columns' is required with --train.");
            else if (result.GetResult(probe) is { Implicit: false } && result.GetResult(test) is null)
                result.AddError("--probe reports its accuracy on --test data: give --test.");
            else if (!hasTasks && result.GetResult(shard) is not null)
                result.AddError("--shard slices catalog tasks: use it with --tasks.");
            else if (hasTasks && new Option[] { test, template, probe, data.TextColumns, data.LabelColumn, data.LabelWords }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } fileOnly)
                result.AddError($"{fileOnly.Name} applies to --train data; catalog tasks bring their own splits, columns, template and label words.");
        });
        command.SetAction((parse, cancellationToken) =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            if (parse.GetValue(tasks) is { Length: > 0 } taskNames)
                return Task.FromResult(TrainTasks(parse, taskNames, cancellationToken));
            var columns = data.TextColumnNames(parse);
            string label = parse.GetValue(data.LabelColumn)!;
            int seedValue = parse.GetValue(data.Seed);
            var (training, validation) = data.Load(parse);

            var context = new MLContext(seedValue);
            var options = new SoftPromptOptions
            {
                Backbone = parse.GetValue(backbone)!,
                Template = parse.GetValue(template),
                PromptLength = parse.GetValue(promptLength),
                TextColumnNames = columns,
                LabelColumnName = label,
                LabelWords = data.ParseLabelWords(parse),
                Initialization = new PromptInitializerOptions { Mode = parse.GetValue(init), Seed = seedValue },
                ValidationData = validation.RowCount > 0 ? validation : null,
                Trainer = TrainerOptions(parse, Path.Combine(parse.GetValue(output)!.FullName, "checkpoint")),
                Progress = Progress(),
                MaskRepresentationColumnName = parse.GetValue(probe) ? LinearProbe.RepresentationColumn : null,
            };
            using var model = context.PromptTuning().SoftPrompt(options).Fit(training);

            string outputDirectory = parse.GetValue(output)!.FullName;
            Directory.CreateDirectory(outputDirectory);
            model.Prompt.Save(Path.Combine(outputDirectory, "prompt.safetensors"));
            model.Prompt.ExportPeft(Path.Combine(outputDirectory, "peft"));
            context.Model.Save(model, training.Schema, Path.Combine(outputDirectory, "model.zip"));
            var testRows = parse.GetValue(test) is { } testFile ? TabularFile.Load(testFile.FullName, columns.Append(label).ToList()) : null;
            double? testAccuracy = testRows is null ? null : Accuracy(model, testRows, label);
            var probeAccuracy = parse.GetValue(probe) ? LinearProbe.Accuracy(context, model, training, testRows!, label) : ((double, double)?)null;
            var metrics = new
            {
                trainRows = training.RowCount,
                validationRows = validation.RowCount,
                bestValidationAccuracy = model.Prompt.TrainingSummary.GetValueOrDefault("best_validation_accuracy"),
                testAccuracy,
                probe = probeAccuracy is var (probeTraining, probeTest) ? new { trainAccuracy = probeTraining, testAccuracy = probeTest } : null,
                learningCurve = model.LearningCurve,
            };
            File.WriteAllText(Path.Combine(outputDirectory, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"best validation accuracy {metrics.bestValidationAccuracy}; test accuracy {testAccuracy?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"}; written to {outputDirectory}");
            if (probeAccuracy is var (fit, held))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"linear probe of the mask representation: training {fit:P2}, test {held:P2}"));
            return Task.FromResult(0);
        });
        return command;

        // --tasks: each catalog task of this shard's slice trained with its own template and label words into the prompt store.
        int TrainTasks(ParseResult parse, string[] taskNames, CancellationToken cancellationToken)
        {
            var slice = parse.GetValue(shard) is string text ? ShardSlice.Parse(text) : ShardSlice.All;
            var catalog = new TaskCatalog(parse.GetValue(dataFolder)!.FullName);
            var selected = catalog.Get(TransferSettings.SplitList(taskNames)).Where((_, i) => slice.Includes(i)).ToList();
            using var evaluator = new MLContext(parse.GetValue(data.Seed)).PromptTuning().TransferabilityEvaluator(new TransferabilityOptions
            {
                Backbone = parse.GetValue(backbone)!,
                PromptLength = parse.GetValue(promptLength),
                MaxTrainRows = parse.GetValue(data.MaxTrainRows),
                MaxValidationRows = parse.GetValue(data.ValidationRows),
                Seed = parse.GetValue(data.Seed),
                RandomInitialization = new PromptInitializerOptions { Mode = parse.GetValue(init), Seed = parse.GetValue(data.Seed) },
                Trainer = TrainerOptions(parse, checkpointDirectory: null),
                CancellationToken = cancellationToken,
                Progress = Progress(),
            });
            var prompts = TransferSettings.LoadOrTrain(evaluator, selected, parse.GetValue(output)!.FullName);
            foreach (var (_, prompt) in prompts)
                prompt.Dispose();
            Console.WriteLine($"shard {slice}: {string.Join(", ", selected.Select(t => t.Name))} → {parse.GetValue(output)!.FullName}");
            return 0;
        }

        SoftPromptTrainerOptions TrainerOptions(ParseResult parse, string? checkpointDirectory) => new()
        {
            MaxSteps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(learningRate),
            WarmupSteps = parse.GetValue(warmup), EvaluateEverySteps = parse.GetValue(evalEvery), EarlyStoppingPatience = parse.GetValue(patience),
            Seed = parse.GetValue(data.Seed), CheckpointDirectory = checkpointDirectory,
        };
    }

    private static SynchronousProgress<SoftPromptTrainingProgress> Progress()
    {
        var line = new ProgressLine("train");
        return new(p => line.Update(p.Step, p.MaxSteps, p.Elapsed,
            $"loss {p.Loss:F4} val {p.ValidationMetric?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"} best {p.BestValidationMetric?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"}"));
    }

    private static double Accuracy(SoftPromptTransformer model, TextTable data, string labelColumn)
    {
        var scored = model.Transform(data);
        var predicted = scored.GetColumn<string>("PredictedLabel").ToArray();
        var gold = data.GetColumn<string>(labelColumn).ToArray();
        return (double)predicted.Zip(gold).Count(p => p.First == p.Second) / gold.Length;
    }
}
