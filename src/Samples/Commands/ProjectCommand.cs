using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Projection;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Samples.Terminal;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary>
/// <c>project</c>: cross-model prompt transfer. <c>project train</c> fits a prompt projector (Distance Minimizing or Task
/// Tuning) through the ML.NET estimator; <c>project apply</c> maps a source-model prompt to the target model.
/// </summary>
internal static class ProjectCommand
{
    public static System.CommandLine.Command Create() =>
        new("project", "Cross-model prompt transfer: train a prompt projector between two backbones, or apply one to a prompt.")
        {
            Train(),
            Apply(),
        };

    private static System.CommandLine.Command Train()
    {
        var method = new Option<ProjectionMethod>("--method") { Description = "DistanceMinimizing (needs --target-prompt) or TaskTuning (needs --train and a target backbone).", DefaultValueFactory = _ => ProjectionMethod.TaskTuning };
        var sourcePrompt = new Option<FileInfo>("--source-prompt") { Description = "The source model's prompt (prompt.safetensors written by train).", Required = true };
        var targetPrompt = new Option<FileInfo>("--target-prompt") { Description = "Distance Minimizing: the target model's prompt for the same task." };
        var targetBackbone = new Option<string?>("--target-backbone") { Description = "Target model folder or hub id (default: the target prompt's backbone)." };
        var train = new Option<FileInfo>("--train") { Description = "Task Tuning: target-task training data (.tsv, .csv, .jsonl or .json)." };
        var validation = new Option<FileInfo>("--validation") { Description = "Target-task rows scored zero-shot for early stopping (the best projector is kept)." };
        var textColumns = new Option<string[]>("--text-columns") { Description = "Text columns bound to the template's placeholders.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["text_a"] };
        var labelColumn = new Option<string>("--label-column") { Description = "Label column.", DefaultValueFactory = _ => "label" };
        var labelWords = new Option<string?>("--label-words") { Description = "Label words, e.g. \"0=negative,1=positive\" (default: the prompts' own)." };
        var template = new Option<string?>("--template") { Description = "Target template (default: the target prompt's, or the source template carried over to the target)." };
        var allowLengthChange = new Option<bool>("--allow-length-change") { Description = "Allow a target template with another prompt length than the source prompt." };
        var hidden = new Option<int>("--hidden-size") { Description = "Units of the projector's hidden layer.", DefaultValueFactory = _ => PromptProjectorConfig.DefaultHiddenSize };
        var activation = new Option<ProjectorActivation>("--activation") { Description = "Tanh or LeakyReLU.", DefaultValueFactory = _ => ProjectorActivation.Tanh };
        var distance = new Option<PromptDistance>("--distance") { Description = "Distance Minimizing's distance: MeanSquaredError or Cosine.", DefaultValueFactory = _ => PromptDistance.MeanSquaredError };
        var steps = new Option<int>("--steps") { Description = "Maximum optimisation steps.", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per Task Tuning step.", DefaultValueFactory = _ => 16 };
        var learningRate = new Option<double>("--learning-rate") { Description = "AdamW learning rate of the projector.", DefaultValueFactory = _ => PromptProjectorTrainerOptions.DefaultLearningRate };
        var evalEvery = new Option<int>("--eval-every") { Description = "Validate every this many steps.", DefaultValueFactory = _ => 100 };
        var patience = new Option<int?>("--patience") { Description = "Stop after this many evaluations without improvement." };
        var maxTrainRows = new Option<int?>("--max-train-rows") { Description = "Use at most this many training rows (a seeded sample)." };
        var seed = new Option<int>("--seed") { Description = "Seed of sampling, projector initialisation and batch order.", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<DirectoryInfo>("--output") { Description = "Output folder: projector.safetensors, projected-prompt.safetensors, model.zip, metrics.json (checkpoint/ makes it resumable).", Required = true };

        var command = new System.CommandLine.Command("train", "Train a prompt projector from a source model's prompt to a target model.")
        {
            method, sourcePrompt, targetPrompt, targetBackbone, train, validation, textColumns, labelColumn, labelWords, template, allowLengthChange,
            hidden, activation, distance, steps, batch, learningRate, evalEvery, patience, maxTrainRows, seed, threads, output,
        };
        foreach (var file in new[] { sourcePrompt, targetPrompt, train, validation })
            file.AcceptExistingOnly();
        command.Validators.Add(result =>
        {
            // The validator sees the parsed tokens only: an absent --method is the default, Task Tuning.
            bool distanceMinimizing = result.GetResult(method) is { Implicit: false } given && given.GetValueOrDefault<ProjectionMethod>() == ProjectionMethod.DistanceMinimizing;
            if (distanceMinimizing && result.GetValue(targetPrompt) is null)
                result.AddError("--method DistanceMinimizing needs --target-prompt.");
            if (!distanceMinimizing && result.GetValue(train) is null)
                result.AddError("--method TaskTuning needs --train.");
            if (!distanceMinimizing && result.GetValue(targetBackbone) is null)
                result.AddError("--method TaskTuning needs --target-backbone.");
        });
        command.SetAction((parse, cancellationToken) =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var columns = parse.GetValue(textColumns)!.ToList();
            string label = parse.GetValue(labelColumn)!;
            int seedValue = parse.GetValue(seed);
            string outputDirectory = parse.GetValue(output)!.FullName;
            Directory.CreateDirectory(outputDirectory);
            using var source = SoftPrompt.Load(parse.GetValue(sourcePrompt)!.FullName);
            using var target = parse.GetValue(targetPrompt) is { } targetFile ? SoftPrompt.Load(targetFile.FullName) : null;
            var data = parse.GetValue(train) is { } trainFile
                ? Sample(TabularFile.Load(trainFile.FullName, columns.Append(label).ToList()), parse.GetValue(maxTrainRows), seedValue)
                : new TextTable(columns.Append(label).ToList(), []);   // Distance Minimizing reads only the columns

            var progressLine = new ProgressLine("project");
            var options = new PromptProjectorOptions
            {
                Method = parse.GetValue(method),
                SourcePrompt = source,
                TargetPrompt = target,
                TargetBackbone = parse.GetValue(targetBackbone),
                Template = parse.GetValue(template),
                LabelWords = LabelledDataOptions.ParseLabelWords(parse.GetValue(labelWords)),
                TextColumnNames = columns,
                LabelColumnName = label,
                ValidationData = parse.GetValue(validation) is { } validationFile ? TabularFile.Load(validationFile.FullName, columns.Append(label).ToList()) : null,
                Projector = new PromptProjectorTrainerOptions
                {
                    HiddenSize = parse.GetValue(hidden), Activation = parse.GetValue(activation), Distance = parse.GetValue(distance), AllowLengthChange = parse.GetValue(allowLengthChange),
                    Training = new SoftPromptTrainerOptions
                    {
                        MaxSteps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(learningRate), EvaluateEverySteps = parse.GetValue(evalEvery),
                        EarlyStoppingPatience = parse.GetValue(patience), Seed = seedValue, CheckpointDirectory = Path.Combine(outputDirectory, "checkpoint"),
                    },
                },
                Progress = new SynchronousProgress<SoftPromptTrainingProgress>(p => progressLine.Update(p.Step, p.MaxSteps, p.Elapsed,
                    $"loss {p.Loss:F4} val {p.ValidationMetric?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"} best {p.BestValidationMetric?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"}")),
                CancellationToken = cancellationToken,
            };
            var context = new MLContext(seedValue);
            using var model = context.PromptTuning().PromptProjector(options).Fit(data);

            model.Projector.Save(Path.Combine(outputDirectory, "projector.safetensors"));
            model.ProjectedPrompt.Prompt.Save(Path.Combine(outputDirectory, "projected-prompt.safetensors"));
            context.Model.Save(model, data.Schema, Path.Combine(outputDirectory, "model.zip"));
            var metrics = new
            {
                method = options.Method.ToString(),
                source = source.Backbone.ToString(),
                target = model.Projector.Config.Target.ToString(),
                bestValidationAccuracy = model.ProjectedPrompt.Prompt.TrainingSummary.GetValueOrDefault("projector_best_validation_accuracy"),
                learningCurve = model.LearningCurve,
            };
            File.WriteAllText(Path.Combine(outputDirectory, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            Console.WriteLine($"projector {metrics.source} → {metrics.target} ({metrics.method}); best validation accuracy {(metrics.bestValidationAccuracy is { Length: > 0 } a ? a : "-")}; written to {outputDirectory}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static System.CommandLine.Command Apply()
    {
        var projector = new Option<FileInfo>("--projector") { Description = "A projector (projector.safetensors written by project train).", Required = true };
        var prompt = new Option<FileInfo>("--prompt") { Description = "A source-model prompt (prompt.safetensors).", Required = true };
        var template = new Option<string?>("--template") { Description = "Target template (default: the prompt's template carried over to the target model)." };
        var output = new Option<FileInfo>("--output") { Description = "The target-model prompt to write (.safetensors); use it with the target backbone or as --init of further training.", Required = true };
        projector.AcceptExistingOnly();
        prompt.AcceptExistingOnly();
        var command = new System.CommandLine.Command("apply", "Map a source-model prompt to the target model with a trained projector.")
        {
            projector, prompt, template, output,
        };
        command.SetAction(parse =>
        {
            using var loaded = PromptProjector.Load(parse.GetValue(projector)!.FullName);
            using var source = SoftPrompt.Load(parse.GetValue(prompt)!.FullName);
            var targetTemplate = parse.GetValue(template) is { } text ? PromptTemplate.Parse(text) : null;
            using var projected = loaded.Project(source, targetTemplate);
            string path = parse.GetValue(output)!.FullName;
            projected.Save(path);
            Console.WriteLine($"{projected.TokenCount}×{projected.HiddenSize} prompt for {projected.Backbone} (template \"{projected.Template}\") written to {path}");
            return 0;
        });
        return command;
    }

    private static TextTable Sample(TextTable table, int? rows, int seed)
    {
        if (rows is not int count || count >= table.RowCount)
            return table;
        var order = Enumerable.Range(0, table.RowCount).ToArray();
        new Random(seed).Shuffle(order);
        return table.Subset(order.Take(count).Order());
    }
}
