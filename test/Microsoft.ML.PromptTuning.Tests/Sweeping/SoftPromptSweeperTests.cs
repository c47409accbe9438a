using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Sharding;
using Microsoft.ML.PromptTuning.Sweeping;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Tests.Sweeping;

/// <summary>Sweeps on the roberta-tiny fixture: random trials and the best model, successive halving, shards merging into the unsharded result.</summary>
[TestClass]
public sealed class SoftPromptSweeperTests
{
    private static string? _backbone;

    [ClassInitialize]
    public static void CreateBackboneFolder(TestContext _) => _backbone = FixtureBackboneFolder.CreateRobertaTiny("sweep-backbone-");

    [ClassCleanup]
    public static void DeleteBackboneFolder()
    {
        if (_backbone is not null)
            Directory.Delete(_backbone, true);
    }

    [TestMethod]
    public void Fit_RandomTrials_TabulatesEveryTrialAndReturnsTheBestAsAFittedTransformer()
    {
        var context = new MLContext(seed: 1);
        var (train, validation) = Data(context);

        using var result = context.PromptTuning().Sweeper(Options(maxSteps: 8)).Fit(train, validation);

        Assert.AreEqual(3, result.Trials.Count);
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, result.Trials.Select(t => t.Number).ToArray());
        Assert.AreEqual(3, result.Trials.Select(t => t.Parameters[nameof(SoftPromptSearchSpace.LearningRate)]).Distinct().Count(), "random learning rates");
        Assert.IsTrue(result.Trials.All(t => t.Steps == 8 && t.Metric is >= 0 and <= 1 && !t.Pruned));
        Assert.AreEqual(result.Trials.Max(t => t.Metric), result.Best!.Metric);
        var scores = result.BestModel!.Transform(validation).GetColumn<float[]>("Score").ToList();
        Assert.AreEqual(6, scores.Count);
        Assert.IsTrue(result.BestModel.LearningCurve.Max(p => p.ValidationMetric) == result.Best.Metric);
        string table = result.ToMarkdown();
        Assert.AreEqual(1, table.Split("**best**").Length - 1);
        StringAssert.Contains(table, "| LearningRate |");
    }

    [TestMethod]
    public void Fit_SuccessiveHalving_PromotesTheBestHalfAtEachRungUntilOneRunsToTheEnd()
    {
        var context = new MLContext(seed: 1);
        var (train, validation) = Data(context);
        var options = Options(maxSteps: 16, trials: 4);
        options.HalvingRate = 2;
        options.MinSteps = 4;

        using var result = context.PromptTuning().Sweeper(options).Fit(train, validation);

        // Rungs pause at steps 4 and 8, then the survivor runs to 16: 4 -> 2 -> 1 trials.
        Assert.AreEqual(4, result.Trials.Count);
        Assert.AreEqual(3, result.Trials.Count(t => t.Pruned));
        CollectionAssert.AreEquivalent(new[] { 4, 4, 8, 16 }, result.Trials.Select(t => t.Steps).ToArray());
        Assert.AreEqual(16, result.Best!.Steps);
        Assert.IsNotNull(result.BestModel);
    }

    [TestMethod]
    public void Fit_PromotedTrialDivergingInALaterRung_IsNoLongerTheBest()
    {
        var context = new MLContext(seed: 1);
        var (train, validation) = Data(context);
        var options = Options(maxSteps: 8, trials: 2);
        options.HalvingRate = 2;
        options.MinSteps = 4;
        var sweeper = new SoftPromptSweeper(context, options)
        {
            // Both trials pass the rung at step 4; the survivor's run to the end diverges.
            FitTrial = (trialOptions, rows) => trialOptions.Trainer.StopAtStep is null
                ? throw new NonFiniteLossException(6, double.NaN, TorchSharp.torch.zeros(4, 32))
                : new SoftPromptEstimator(context, trialOptions).Fit(rows),
        };

        using var result = sweeper.Fit(train, validation);

        Assert.AreEqual(1, result.Trials.Count(t => t.Pruned));
        var failed = result.Trials.Single(t => !t.Pruned);
        Assert.IsNotNull(failed.Error);
        Assert.IsNull(result.Best, "a failed trial is not the best");
        Assert.IsNull(result.BestModel);
        Assert.AreEqual(SweepResult.BestOf(result.Trials), result.Best);
        StringAssert.Contains(result.ToMarkdown(), "failed");
    }

    [TestMethod]
    public void Fit_ShardsMergedAndReloaded_EqualTheUnshardedSweep()
    {
        var context = new MLContext(seed: 1);
        var (train, validation) = Data(context);
        using var whole = context.PromptTuning().Sweeper(Options(maxSteps: 4)).Fit(train, validation);
        string folder = Directory.CreateTempSubdirectory("sweep-shards-").FullName;
        try
        {
            var files = new List<string>();
            for (int i = 0; i < 2; i++)
            {
                var options = Options(maxSteps: 4);
                options.Shard = new ShardSlice(i, 2);
                using var shard = context.PromptTuning().Sweeper(options).Fit(train, validation);
                files.Add(Path.Combine(folder, $"shard-{i}.json"));
                shard.Save(files[^1]);
            }

            var merged = SweepResult.Merge(files.Select(SweepResult.Load));

            Assert.AreEqual(whole.Trials.Count, merged.Trials.Count);
            foreach (var (a, b) in whole.Trials.Zip(merged.Trials))
            {
                Assert.AreEqual(a.Number, b.Number);
                Assert.AreEqual(a.Metric, b.Metric);
                Assert.AreEqual(a.Steps, b.Steps);
                CollectionAssert.AreEquivalent(a.Parameters.ToList(), b.Parameters.ToList());
            }
            Assert.AreEqual(whole.Best!.Number, merged.Best!.Number);
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => SweepResult.Merge(files.Concat(files).Select(SweepResult.Load))).Message, "more than one");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void Options_HalvingAcrossShards_IsRejected()
    {
        var options = Options(maxSteps: 8);
        options.HalvingRate = 2;
        options.Shard = new ShardSlice(0, 2);

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new MLContext().PromptTuning().Sweeper(options)).Message, "cannot run as shards");
    }

    private static SoftPromptSweeperOptions Options(int maxSteps, int trials = 3) => new()
    {
        BaseOptions = new SoftPromptOptions
        {
            Backbone = _backbone!,
            LabelWords = LabelWords.Of(("negative", ["bad"]), ("positive", ["good"])),
            Trainer = new SoftPromptTrainerOptions { MaxSteps = maxSteps, EvaluateEverySteps = 4 },
        },
        SearchSpace = new SearchSpace<SoftPromptSearchSpace>()
            .WithChoices(nameof(SoftPromptSearchSpace.PromptLength), 4)
            .WithChoices(nameof(SoftPromptSearchSpace.BatchSize), 4)
            .WithChoices(nameof(SoftPromptSearchSpace.WarmupSteps), 0),
        MaxTrials = trials,
        Seed = 3,
    };

    private static (IDataView Train, IDataView Validation) Data(MLContext context)
    {
        static Row Make(int i) => new() { Text = i % 2 == 0 ? $"a good film, number {i}" : $"a bad film, number {i}", Label = i % 2 == 0 ? "positive" : "negative" };
        return (context.Data.LoadFromEnumerable(Enumerable.Range(0, 16).Select(Make).ToList()),
            context.Data.LoadFromEnumerable(Enumerable.Range(100, 6).Select(Make).ToList()));
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
