using System.Diagnostics;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;
using Microsoft.ML.PromptTuning.Transfer;

namespace Microsoft.ML.PromptTuning.Benchmarks;

/// <summary>
/// The main job's transfer-init speed-up at a benchmark budget: the README's experiment (SST-2 prompt → rotten_tomatoes,
/// random vs transferred initialisation) on the shipped model and data with fewer steps and rows, so it fits the run.
/// </summary>
internal static class MainJobTransfer
{
    public static void Run(string backbone, string dataFolder, int steps, BenchReport report)
    {
        var catalog = new TaskCatalog(dataFolder);
        var watch = Stopwatch.StartNew();
        using var evaluator = new MLContext(42).PromptTuning().TransferabilityEvaluator(new TransferabilityOptions
        {
            Backbone = backbone,
            PromptLength = 100,
            MaxTrainRows = steps * 16,
            MaxValidationRows = 200,
            MaxEvaluationRows = 500,
            Trainer = new SoftPromptTrainerOptions { MaxSteps = steps, BatchSize = 16, LearningRate = 1e-2, EvaluateEverySteps = Math.Max(1, steps / 8), Seed = 42 },
        });
        using var experiment = evaluator.Experiment(catalog.Get("sst2"), catalog.Get("rotten_tomatoes"));
        var init = experiment.Initialization;
        string name = $"main job at {steps} steps (sst2 → rotten_tomatoes)";
        foreach (var crossing in init.Crossings)
        {
            if (crossing.StepSpeedup is double bySteps)
                report.Add($"{name}: transfer-init speed-up in steps to {crossing.Fraction:P0} of the random run's best", bySteps, "x");
            else
                Console.WriteLine($"  {name}: {crossing.Fraction:P0} of the random run's best not reached by the transferred run");
            if (crossing.TimeSpeedup is double byTime)
                report.Add($"{name}: transfer-init speed-up in wall time to {crossing.Fraction:P0} of the random run's best", byTime, "x");
        }
        report.Add($"{name}: final accuracy difference (transfer − random)", init.FinalDifference * 100, "points");
        report.Add($"{name}: source prompt's accuracy on sst2", experiment.SourceScore.Primary * 100, "%");
        report.Add($"{name}: source prompt zero-shot on rotten_tomatoes", experiment.ZeroShot.Primary * 100, "%");
        report.Add($"{name}: wall time", watch.Elapsed.TotalSeconds, "s");
    }
}
