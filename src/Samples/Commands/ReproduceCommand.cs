using System.CommandLine;
using System.Globalization;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Samples.Terminal;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;
using Microsoft.ML.PromptTuning.Transfer;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary>
/// <c>reproduce</c>, the README's main job: the seminar's experiment on the shipped roberta-small and data — a prompt trained
/// on SST-2, evaluated zero-shot on rotten_tomatoes, then rotten_tomatoes tuned from random init and from the SST-2 prompt.
/// </summary>
internal static class ReproduceCommand
{
    public static System.CommandLine.Command Create()
    {
        string? root = RepositoryRoot();
        var backbone = new Option<string>("--backbone") { Description = "Backbone folder or hub id (default: the shipped models/roberta-small).", DefaultValueFactory = _ => Path.Combine(root ?? ".", "models", "roberta-small") };
        var data = new Option<DirectoryInfo>("--data") { Description = "Data folder of the task catalog (default: the shipped data/ with SST-2 and rotten_tomatoes).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(root ?? ".", "data")) };
        var source = new Option<string>("--source") { Description = "Source task.", DefaultValueFactory = _ => "sst2" };
        var target = new Option<string>("--target") { Description = "Target task.", DefaultValueFactory = _ => "rotten_tomatoes" };
        var full = new Option<bool>("--full") { Description = "Use all training, validation and evaluation rows and 2,000 steps per prompt (hours on a laptop CPU) instead of the ~5-minute subsample." };
        var steps = new Option<int?>("--steps") { Description = "Training steps per prompt (default 300; 2,000 with --full)." };
        var promptLength = new Option<int>("--prompt-length") { Description = "Soft tokens per prompt.", DefaultValueFactory = _ => 100 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Peak learning rate of the prompt.", DefaultValueFactory = _ => 1e-2 };
        var seed = new Option<int>("--seed") { Description = "Seed of samples, the random prompt and batch order.", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<DirectoryInfo>("--output") { Description = "Output folder: report.md, report.json, learning-curves.png, the source prompt (safetensors + PEFT).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(root ?? ".", "artifacts", "main")) };

        var command = new System.CommandLine.Command("reproduce",
            "The seminar's experiment: train a prompt on SST-2, evaluate it zero-shot on rotten_tomatoes, tune rotten_tomatoes from random init and from the SST-2 prompt; print the table and write the learning curves and a JSON report.")
        {
            backbone, data, source, target, full, steps, promptLength, learningRate, seed, threads, output,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            bool isFull = parse.GetValue(full);
            int seedValue = parse.GetValue(seed);
            var catalog = new TaskCatalog(parse.GetValue(data)!.FullName);
            var sourceTask = catalog.Get(parse.GetValue(source)!);
            var targetTask = catalog.Get(parse.GetValue(target)!);
            var progressLine = new ProgressLine("train");
            var context = new MLContext(seedValue);
            context.Log += (_, e) =>
            {
                if (e.Source == "PromptTuning" && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info)
                    Console.WriteLine($"{DateTime.Now:HH:mm:ss} {e.RawMessage}");
            };
            var options = new TransferabilityOptions
            {
                Backbone = parse.GetValue(backbone)!,
                PromptLength = parse.GetValue(promptLength),
                // The subsample: 6,400 training rows (a pass of 400 steps × 16), 300 validation and 1,000 evaluation rows.
                MaxTrainRows = isFull ? null : 6400,
                MaxValidationRows = isFull ? null : 300,
                MaxEvaluationRows = isFull ? null : 1000,
                Seed = seedValue,
                RandomInitialization = new PromptInitializerOptions { Seed = seedValue },
                Trainer = new SoftPromptTrainerOptions
                {
                    MaxSteps = parse.GetValue(steps) ?? (isFull ? 2000 : 300), BatchSize = 16, LearningRate = parse.GetValue(learningRate),
                    EvaluateEverySteps = isFull ? 100 : 25, Seed = seedValue,
                },
                CancellationToken = cancellationToken,
                Progress = new SynchronousProgress<SoftPromptTrainingProgress>(p => progressLine.Update(p.Step, p.MaxSteps, p.Elapsed,
                    $"loss {p.Loss:F4} val {p.ValidationMetric?.ToString("P1", CultureInfo.InvariantCulture) ?? "-"} best {p.BestValidationMetric?.ToString("P1", CultureInfo.InvariantCulture) ?? "-"}")),
            };
            using var evaluator = context.PromptTuning().TransferabilityEvaluator(options);
            using var report = evaluator.Experiment(sourceTask, targetTask);
            var files = report.Save(parse.GetValue(output)!.FullName);
            Console.WriteLine();
            Console.WriteLine(report.ToMarkdown());
            Console.WriteLine($"written: {string.Join(", ", files)}");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The repository holding the shipped models and data: the first folder up from here (or from the tool) with PromptTransfer.sln.</summary>
    private static string? RepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "PromptTransfer.sln")))
                    return folder.FullName;
        return null;
    }
}
