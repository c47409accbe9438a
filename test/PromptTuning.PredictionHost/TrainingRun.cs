using Microsoft.ML;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.PredictionHost;

/// <summary>
/// A small, fixed training run through the estimator (12 steps, a checkpoint every 2), so a test can kill it mid-run and
/// compare the resumed result with an uninterrupted one. Prints "step N" after each step; at the pause step it waits to be
/// killed (giving up after a minute, with exit code 3, should no one kill it).
/// </summary>
internal static class TrainingRun
{
    /// <param name="args">The backbone folder, the checkpoint folder (or "-" for none), the output prompt file and an optional pause step.</param>
    public static int Run(string[] args)
    {
        string backbone = args[0];
        string? checkpoint = args[1] == "-" ? null : args[1];
        int pauseAt = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var context = new MLContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(Enumerable.Range(0, 16).Select(i => new Review
        {
            Text = i % 2 == 0 ? $"a wonderful and moving film, number {i}" : $"a dull and tiring film, number {i}",
            Label = i % 2 == 0 ? "positive" : "negative",
        }).ToList());
        var options = new SoftPromptOptions
        {
            Backbone = backbone,
            Template = "{soft:4}{mask}{text_a}",
            LabelWords = LabelWords.Of(("negative", ["bad"]), ("positive", ["good"])),
            Trainer = new SoftPromptTrainerOptions
            {
                LearningRate = 0.05, BatchSize = 4, MaxSteps = 12, EvaluateEverySteps = 4,
                CheckpointDirectory = checkpoint, CheckpointEverySteps = 2,
            },
            Progress = new StepPrinter(pauseAt),
        };
        using var model = context.PromptTuning().SoftPrompt(options).Fit(data);
        model.Prompt.Save(args[2]);
        Console.WriteLine("done");
        return 0;
    }

    private sealed class Review
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class StepPrinter(int pauseAt) : IProgress<SoftPromptTrainingProgress>
    {
        public void Report(SoftPromptTrainingProgress value)
        {
            Console.WriteLine($"step {value.Step}");
            Console.Out.Flush();
            if (value.Step != pauseAt)
                return;
            Thread.Sleep(TimeSpan.FromMinutes(1));
            Environment.Exit(3);
        }
    }
}
