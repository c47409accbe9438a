using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;
using Microsoft.ML.PromptTuning.Transfer;
using Microsoft.ML.PromptTuning.Transfer.Indicators;

namespace Microsoft.ML.PromptTuning.Tests.Transfer;

/// <summary>Relative performance, the matrix's text forms, threshold speed-ups and source recommendation on hand-made numbers.</summary>
[TestClass]
public sealed class TransferMatrixTests
{
    private static TaskScore Accuracy(double value) => new(value, null, 100);

    /// <summary>Sources sst2, mnli, random on targets sst2 (own 0.80) and mnli (own 0.50).</summary>
    private static TransferMatrix HandMade() => new(
        ["sst2", "mnli", TransferMatrix.RandomPromptName], ["sst2", "mnli"],
        [[Accuracy(0.80), Accuracy(0.40)], [Accuracy(0.60), Accuracy(0.50)], [Accuracy(0.50), Accuracy(0.35)]],
        [Accuracy(0.80), Accuracy(0.50)]);

    [TestMethod]
    public void Relative_IsHundredTimesSourceOverTheTargetsOwnPrompt()
    {
        var matrix = HandMade();
        Assert.AreEqual(100, matrix.Relative[0][0], 1e-9);
        Assert.AreEqual(80, matrix.Relative[0][1], 1e-9);   // 0.40 / 0.50
        Assert.AreEqual(75, matrix.Relative[1][0], 1e-9);   // 0.60 / 0.80
        Assert.AreEqual(100, matrix.Relative[1][1], 1e-9);
        Assert.AreEqual(62.5, matrix.Relative[2][0], 1e-9); // random: 0.50 / 0.80
        Assert.AreEqual(70, matrix.Relative[2][1], 1e-9);
        Assert.IsTrue(double.IsNaN(TransferMatrix.RelativePerformance(0.3, 0)));
    }

    [TestMethod]
    public void CsvAndMarkdown_HoldEveryCell()
    {
        var matrix = HandMade();
        var lines = matrix.ToCsv().TrimEnd().Split('\n');
        Assert.AreEqual(1 + 3 * 2, lines.Length);
        Assert.AreEqual("source,target,accuracy,f1,relative_performance,own_accuracy,rows", lines[0]);
        Assert.AreEqual("mnli,sst2,0.6,,75,0.8,100", lines[3]);
        string markdown = matrix.ToMarkdown();
        StringAssert.Contains(markdown, "| source \\ target | sst2 | mnli |");
        StringAssert.Contains(markdown, "| random | 62.5 | 70.0 |");
        StringAssert.Contains(markdown, "| mnli | 60.0 | 50.0 |");
    }

    [TestMethod]
    public void Constructor_WrongDimensions_Throws()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new TransferMatrix(["a"], ["a", "b"], [[Accuracy(1)]], [Accuracy(1), Accuracy(1)]));
        StringAssert.Contains(error.Message, "[1 sources][2 targets]");
    }

    [TestMethod]
    public void ThresholdCrossing_CountsStepsAndSecondsToNinetyAndHundredPercentOfRandomBest()
    {
        LearningCurvePoint P(int step, double metric) => new(step, step / 10.0, 0.5, metric);
        var random = new[] { P(10, 0.50), P(20, 0.60), P(30, 0.70), P(40, 0.80) };
        var transfer = new[] { P(10, 0.75), P(20, 0.82), P(30, 0.81), P(40, 0.83) };
        var ninety = ThresholdCrossing.Of(0.9, random, transfer);   // threshold 0.72
        Assert.AreEqual(0.72, ninety.Threshold, 1e-12);
        Assert.AreEqual(40, ninety.RandomStep);
        Assert.AreEqual(10, ninety.TransferStep);
        Assert.AreEqual(4.0, ninety.StepSpeedup!.Value, 1e-12);
        Assert.AreEqual(4.0, ninety.TimeSpeedup!.Value, 1e-12);
        var hundred = ThresholdCrossing.Of(1.0, random, transfer);  // threshold 0.80
        Assert.AreEqual(40, hundred.RandomStep);
        Assert.AreEqual(20, hundred.TransferStep);
        var never = ThresholdCrossing.Of(1.0, random, [P(10, 0.1)]);
        Assert.IsNull(never.TransferStep);
        Assert.IsNull(never.StepSpeedup);
        Assert.ThrowsExactly<ArgumentException>(() => ThresholdCrossing.Of(0.9, [new LearningCurvePoint(10, 1, 0.5, null)], transfer));
    }

    [TestMethod]
    public void IndicatorCorrelation_SkipsTheDiagonalAndCountsTopRecommendationHits()
    {
        // Three tasks; relative performance off the diagonal: a←b 50, a←c 90; b←a 60, b←c 30; c←a 80, c←b 70.
        var own = new[] { Accuracy(1), Accuracy(1), Accuracy(1) };
        TaskScore[] Row(double a, double b, double c) => [Accuracy(a), Accuracy(b), Accuracy(c)];
        var matrix = new TransferMatrix(["a", "b", "c"], ["a", "b", "c"],
            [Row(1, 0.6, 0.8), Row(0.5, 1, 0.7), Row(0.9, 0.3, 1)], own);
        // The indicator ranks c over b for a (hit), c over a for b (miss), a over b for c (hit).
        var indicator = new IndicatorMatrix("test", "", ["a", "b", "c"], ["a", "b", "c"],
            [[1, 0.5, 0.9], [0.2, 1, 0.1], [0.8, 0.6, 1]]);
        var correlation = IndicatorCorrelation.Compute(indicator, matrix);
        Assert.AreEqual(6, correlation.Pairs);
        Assert.AreEqual(2, correlation.RecommendationHits);
        Assert.AreEqual(3, correlation.RecommendationTargets);
        var x = new double[] { 0.2, 0.8, 0.5, 0.6, 0.9, 0.1 };   // (b→a, c→a, a→b, c→b, a→c, b→c)
        var y = new double[] { 50, 90, 60, 30, 80, 70 };
        Assert.AreEqual(Correlation.Pearson(x, y), correlation.Pearson, 1e-12);
        Assert.AreEqual(Correlation.Spearman(x, y), correlation.Spearman, 1e-12);
    }
}
