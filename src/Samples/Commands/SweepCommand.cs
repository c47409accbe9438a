using System.CommandLine;
using System.Globalization;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Samples.Terminal;
using Microsoft.ML.PromptTuning.Sharding;
using Microsoft.ML.PromptTuning.Sweeping;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>sweep</c>: AutoML-style search over prompt length, learning rate, warmup, batch size, initialisation and source prompt.</summary>
internal static class SweepCommand
{
    public static System.CommandLine.Command Create()
    {
        var backbone = new Option<string>("--backbone") { Description = "Backbone model folder or hub id (org/name[@revision]).", Required = true };
        var steps = new Option<int>("--steps") { Description = "Steps of a fully trained trial.", DefaultValueFactory = _ => 600 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Validate every this many steps (rungs fall on this grid).", DefaultValueFactory = _ => 100 };
        var trials = new Option<int>("--trials") { Description = "Trials at most.", DefaultValueFactory = _ => 8 };
        var strategy = new Option<SweepStrategy>("--strategy") { Description = "Random points or the grid of every dimension.", DefaultValueFactory = _ => SweepStrategy.Random };
        var halving = new Option<int?>("--halving-rate") { Description = "Successive halving: keep the best 1/rate of trials at each rung (e.g. 3)." };
        var minSteps = new Option<int>("--min-steps") { Description = "Steps of the first rung under successive halving.", DefaultValueFactory = _ => 100 };
        var timeBudget = new Option<double?>("--time-budget-minutes") { Description = "Start no trial after this many minutes." };
        var sources = new Option<string[]>("--source-prompts") { Description = "Trained prompts (.safetensors or PEFT folders) to try as initialisation, besides none.", AllowMultipleArgumentsPerToken = true };
        var shard = new Option<string?>("--shard") { Description = "Run slice i/n of the trials (0-based), e.g. 0/4; combine the outputs with `merge`." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<DirectoryInfo>("--output") { Description = "Output folder: sweep.json, sweep.md, trials/ (checkpoints: a rerun resumes), best/ (prompt and model.zip).", Required = true };

        var data = new LabelledDataOptions();
        var command = new System.CommandLine.Command("sweep", "Search prompt-tuning hyperparameters (random or grid, optional successive halving) and keep the best model.")
        {
            backbone, steps, evalEvery, trials, strategy, halving, minSteps, timeBudget, sources, shard, threads, output,
        };
        foreach (var option in data.All)
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var (training, validation) = data.Load(parse);
            if (validation.RowCount == 0)
                throw new ArgumentException("A sweep ranks trials on validation rows: --validation-rows must be positive and the file large enough.");
            string outputDirectory = parse.GetValue(output)!.FullName;
            var space = new SearchSpace<SoftPromptSearchSpace>();
            if (parse.GetValue(sources) is { Length: > 0 } prompts)
                space = space.WithChoices(nameof(SoftPromptSearchSpace.SourcePrompt), prompts.Select(p => (object?)Path.GetFullPath(p)).Prepend(null).ToArray());
            var options = new SoftPromptSweeperOptions
            {
                BaseOptions = new SoftPromptOptions
                {
                    Backbone = parse.GetValue(backbone)!,
                    TextColumnNames = data.TextColumnNames(parse),
                    LabelColumnName = parse.GetValue(data.LabelColumn)!,
                    LabelWords = data.ParseLabelWords(parse),
                    Trainer = new SoftPromptTrainerOptions { MaxSteps = parse.GetValue(steps), EvaluateEverySteps = parse.GetValue(evalEvery), Seed = parse.GetValue(data.Seed) },
                },
                SearchSpace = space,
                Strategy = parse.GetValue(strategy),
                MaxTrials = parse.GetValue(trials),
                HalvingRate = parse.GetValue(halving),
                MinSteps = parse.GetValue(minSteps),
                TimeBudget = parse.GetValue(timeBudget) is double minutes ? TimeSpan.FromMinutes(minutes) : null,
                Seed = parse.GetValue(data.Seed),
                Shard = parse.GetValue(shard) is string slice ? ShardSlice.Parse(slice) : ShardSlice.All,
                WorkingDirectory = Path.Combine(outputDirectory, "trials"),
            };
            var context = new MLContext(parse.GetValue(data.Seed));
            var sweeper = context.PromptTuning().Sweeper(options);
            int planned = sweeper.Trials().Count, done = 0;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var progress = new ProgressLine("sweep", TimeSpan.Zero);
            using var result = sweeper.Fit(training, validation, trial => progress.Update(++done, Math.Max(done, planned), watch.Elapsed,
                $"trial {trial.Number}: {(trial.Error is null ? trial.Metric?.ToString("P2", CultureInfo.InvariantCulture) : "failed")}"));

            Directory.CreateDirectory(outputDirectory);
            result.Save(Path.Combine(outputDirectory, "sweep.json"));
            File.WriteAllText(Path.Combine(outputDirectory, "sweep.md"), result.ToMarkdown());
            if (result.BestModel is { } best)
            {
                string bestDirectory = Path.Combine(outputDirectory, "best");
                Directory.CreateDirectory(bestDirectory);
                best.Prompt.Save(Path.Combine(bestDirectory, "prompt.safetensors"));
                context.Model.Save(best, training.Schema, Path.Combine(bestDirectory, "model.zip"));
            }
            Console.WriteLine(result.ToMarkdown());
            Console.WriteLine(result.Best is { } b ? $"best: trial {b.Number} at {b.Metric:P2}; written to {outputDirectory}" : $"no trial succeeded; written to {outputDirectory}");
            return result.Best is null ? 1 : 0;
        });
        return command;
    }
}
