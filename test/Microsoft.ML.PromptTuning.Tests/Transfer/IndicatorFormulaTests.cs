using Microsoft.ML.PromptTuning.Transfer.Indicators;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Transfer;

/// <summary>Indicator formulas on small hand-computed tensors, and correlation with ties.</summary>
[TestClass]
public sealed class IndicatorFormulaTests
{
    // a = [[1, 0], [0, 1]], b = [[1, 0], [1, 0]].
    private static Tensor A() => tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);

    private static Tensor B() => tensor(new float[] { 1, 0, 1, 0 }, [2, 2]);

    [TestMethod]
    [DataRow(PromptEmbeddingView.Concatenated, VectorSimilarity.Cosine, 0.5)]                        // [1,0,0,1]·[1,0,1,0] = 1 over √2·√2
    [DataRow(PromptEmbeddingView.Concatenated, VectorSimilarity.Euclidean, 0.41421356237309503)]     // 1 / (1 + √2)
    [DataRow(PromptEmbeddingView.TokenAveraged, VectorSimilarity.Cosine, 0.70710678118654757)]       // [.5,.5]·[1,0] = .5 over √.5·1
    [DataRow(PromptEmbeddingView.TokenAveraged, VectorSimilarity.Euclidean, 0.58578643762690485)]    // 1 / (1 + √.5)
    [DataRow(PromptEmbeddingView.TokenWise, VectorSimilarity.Cosine, 0.5)]                           // pairs: 1, 1, 0, 0
    [DataRow(PromptEmbeddingView.TokenWise, VectorSimilarity.Euclidean, 0.58578643762690485)]        // 1 / (1 + mean(0, 0, √2, √2))
    public void PromptEmbeddingSimilarity_MatchesHandComputedValues(PromptEmbeddingView view, VectorSimilarity similarity, double expected)
    {
        using var a = A();
        using var b = B();
        Assert.AreEqual(expected, PromptEmbeddingSimilarity.Compute(a, b, view, similarity), 1e-7);
        Assert.AreEqual(expected, PromptEmbeddingSimilarity.Compute(b, a, view, similarity), 1e-7, "symmetric");
    }

    [TestMethod]
    public void PromptEmbeddingSimilarity_OfAPromptWithItself_IsOne()
    {
        using var generator = new TorchSharp.torch.Generator(3);
        using var a = randn([5, 8], generator: generator);
        foreach (var view in Enum.GetValues<PromptEmbeddingView>().Where(v => v != PromptEmbeddingView.TokenWise))
            foreach (var similarity in Enum.GetValues<VectorSimilarity>())
                Assert.AreEqual(1.0, PromptEmbeddingSimilarity.Compute(a, a, view, similarity), 1e-6, $"{view} {similarity}");
    }

    [TestMethod]
    public void PromptEmbeddingSimilarity_DifferentWidthsOrConcatenatedLengths_Throw()
    {
        using var a = zeros(4, 8);
        using var narrow = zeros(4, 6);
        using var shorter = ones(3, 8);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            PromptEmbeddingSimilarity.Compute(a, narrow, PromptEmbeddingView.TokenAveraged, VectorSimilarity.Cosine)).Message, "different widths (8 and 6)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            PromptEmbeddingSimilarity.Compute(a, shorter, PromptEmbeddingView.Concatenated, VectorSimilarity.Euclidean)).Message, "different lengths (4 and 3 tokens)");
        // Averaged and token-wise views compare prompts of different lengths.
        Assert.AreEqual(1 / (1 + Math.Sqrt(8)), PromptEmbeddingSimilarity.Compute(a, shorter, PromptEmbeddingView.TokenAveraged, VectorSimilarity.Euclidean), 1e-9);
    }

    [TestMethod]
    public void NeuronOverlap_IsTheCosineOfBinaryVectorsOverAllLayersAndPerWindow()
    {
        // Layer 1: a = {0, 2, 3}, b = {0, 1, 3}; layer 2: a = {}, b = {0}.
        using var a = tensor(new float[] { 1, 0, 1, 1, 0, 0, 0, 0 }, [2, 4]);
        using var b = tensor(new float[] { 1, 1, 0, 1, 1, 0, 0, 0 }, [2, 4]);
        Assert.AreEqual(2 / Math.Sqrt(3 * 4), ModelStimulation.Overlap(a, b), 1e-12);
        Assert.AreEqual(2 / 3.0, ModelStimulation.Overlap(a, b, 0, 1), 1e-12);
        Assert.AreEqual(0, ModelStimulation.Overlap(a, b, 1, 1), "an empty set overlaps nothing");
        Assert.AreEqual(1, ModelStimulation.Overlap(b, b), 1e-12);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ModelStimulation.Overlap(a, b, 1, 2));
    }

    [TestMethod]
    public void Spearman_TiedValuesShareTheirAverageRank()
    {
        CollectionAssert.AreEqual(new[] { 3.0, 1, 3, 3 }, Correlation.AverageRanks([3, 1, 3, 3]));
        CollectionAssert.AreEqual(new[] { 1.0, 2.5, 2.5, 4 }, Correlation.AverageRanks([1, 2, 2, 3]));
        // scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) = 0.9486832980505138 = 4.5 / √(4.5 · 5).
        Assert.AreEqual(4.5 / Math.Sqrt(4.5 * 5), Correlation.Spearman([1, 2, 2, 3], [1, 3, 2, 4]), 1e-12);
        Assert.AreEqual(-1, Correlation.Spearman([1, 2, 3], [9, 4, 1]), 1e-12, "monotone decreasing");
    }

    [TestMethod]
    public void Pearson_MatchesTheHandComputedValue()
    {
        // x = [1, 2, 3], y = [2, 4, 7]: covariance 5, variances 2 and 114/9.
        Assert.AreEqual(5 / Math.Sqrt(2 * 114.0 / 9), Correlation.Pearson([1, 2, 3], [2, 4, 7]), 1e-12);
        Assert.IsTrue(double.IsNaN(Correlation.Pearson([1, 1, 1], [1, 2, 3])), "constant sample");
        Assert.IsTrue(double.IsNaN(Correlation.Pearson([0.1, 0.1, 0.1], [1, 2, 3])), "constant sample whose mean is not exact in binary");
        Assert.IsTrue(double.IsNaN(Correlation.Pearson([0.3, 0.5, 0.9], [0.7, 0.7, 0.7])), "constant second sample");
        Assert.ThrowsExactly<ArgumentException>(() => Correlation.Pearson([1, 2], [1]));
    }
}
