using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Sharding;
using Microsoft.ML.PromptTuning.Sweeping;

namespace Microsoft.ML.PromptTuning.Tests.Sweeping;

/// <summary>Search spaces from Range/Choice attributes: defaults, grids, sampling, run-time choices, conversions; shard slices.</summary>
[TestClass]
public sealed class SearchSpaceTests
{
    [TestMethod]
    public void Default_TakesEachRangesInitAndEachChoicesFirstCandidate()
    {
        var point = new SearchSpace<SoftPromptSearchSpace>().Default();

        Assert.AreEqual(100, point.PromptLength);
        Assert.AreEqual(3e-3, point.LearningRate);
        Assert.AreEqual(0, point.WarmupSteps);
        Assert.AreEqual(16, point.BatchSize);
        Assert.AreEqual(PromptInitialization.SampledVocabulary, point.Initialization);
        Assert.IsNull(point.SourcePrompt);
    }

    [TestMethod]
    public void Grid_IsTheCartesianProductWithLogSpacedRangePoints()
    {
        var grid = new SearchSpace<SoftPromptSearchSpace>().Grid(pointsPerRange: 3).ToList();

        Assert.AreEqual(3 * 3 * 3 * 3 * 2 * 1, grid.Count);
        var rates = grid.Select(p => p.LearningRate).Distinct().Order().ToList();
        Assert.AreEqual(3, rates.Count);
        Assert.AreEqual(1e-3, rates[0], 1e-12);
        Assert.AreEqual(1e-2, rates[1], 1e-12, "the middle of [1e-3, 1e-1] in log space");
        Assert.AreEqual(1e-1, rates[2], 1e-12);
        Assert.AreEqual(grid.Count, grid.Select(p => (p.PromptLength, p.LearningRate, p.WarmupSteps, p.BatchSize, p.Initialization)).Distinct().Count());
    }

    [TestMethod]
    public void Sample_StaysInsideTheRangeAndIsReproducibleFromTheSeed()
    {
        var space = new SearchSpace<SoftPromptSearchSpace>();
        var random = new Random(7);
        var points = Enumerable.Range(0, 200).Select(_ => space.Sample(random)).ToList();
        var again = new Random(7);
        var repeated = Enumerable.Range(0, 200).Select(_ => space.Sample(again)).ToList();

        Assert.IsTrue(points.All(p => p.LearningRate is >= 1e-3 and <= 1e-1));
        Assert.IsTrue(points.All(p => p.PromptLength is 20 or 50 or 100));
        // Log-uniform: about half the draws fall below the geometric middle 1e-2.
        int below = points.Count(p => p.LearningRate < 1e-2);
        Assert.IsTrue(below is > 70 and < 130, $"{below} of 200 below 1e-2");
        CollectionAssert.AreEqual(points.Select(p => p.LearningRate).ToList(), repeated.Select(p => p.LearningRate).ToList());
    }

    [TestMethod]
    public void WithChoices_ReplacesOneDimensionAndDescribeFormatsTheTunedValues()
    {
        var space = new SearchSpace<SoftPromptSearchSpace>().WithChoices(nameof(SoftPromptSearchSpace.SourcePrompt), null, "sst2.safetensors");

        var sources = space.Grid(2).Select(p => p.SourcePrompt).Distinct().ToList();
        var described = space.Describe(space.Default());

        CollectionAssert.AreEquivalent(new string?[] { null, "sst2.safetensors" }, sources);
        Assert.AreEqual("0.003", described[nameof(SoftPromptSearchSpace.LearningRate)]);
        Assert.AreEqual("-", described[nameof(SoftPromptSearchSpace.SourcePrompt)]);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => space.WithChoices("Momentum", 0.9)).Message, "no property 'Momentum'");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => space.WithChoices(nameof(SoftPromptSearchSpace.Initialization), "Zeros")).Message, "Initialization");
    }

    [TestMethod]
    public void ShardSlice_ParsesAndPartitionsJobsWithoutOverlap()
    {
        var slices = Enumerable.Range(0, 3).Select(i => ShardSlice.Parse($"{i}/3")).ToList();

        var owners = Enumerable.Range(0, 10).Select(job => slices.Count(s => s.Includes(job))).ToList();

        Assert.IsTrue(owners.All(n => n == 1));
        Assert.AreEqual("1/3", slices[1].ToString());
        foreach (string bad in new[] { "3/3", "1", "a/2", "-1/2", "0/0" })
            Assert.ThrowsExactly<FormatException>(() => ShardSlice.Parse(bad), bad);
    }
}
