using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

[TestClass]
public sealed class SpanCorruptionTests
{
    private static int Sentinel(int k) => 32099 - k;

    [TestMethod]
    [DataRow(20)]
    [DataRow(128)]
    [DataRow(512)]
    public void NoiseMask_Length_HasFifteenPercentNoiseInAboutMeanThreeSpans(int length)
    {
        var mask = SpanCorruption.NoiseMask(length, new Random(7), 0.15, 3.0);
        int noise = mask.Count(m => m);
        int spans = Enumerable.Range(0, length).Count(i => mask[i] && (i == 0 || !mask[i - 1]));
        Assert.AreEqual((int)Math.Round(length * 0.15), noise);
        Assert.AreEqual(Math.Max(1, (int)Math.Round(noise / 3.0)), spans);
        Assert.IsFalse(mask[0], "T5's mask starts with kept tokens");
    }

    [TestMethod]
    [DataRow(10, 0.9)]
    [DataRow(7, 0.5)]
    public void NoiseMask_DenseNoise_AlternatesAsManySpansAsKeptTokensAllow(int length, double density)
    {
        var mask = SpanCorruption.NoiseMask(length, new Random(0), density, 3.0);

        int noise = mask.Count(m => m);
        int spans = Enumerable.Range(0, length).Count(i => mask[i] && (i == 0 || !mask[i - 1]));
        Assert.AreEqual(Math.Clamp((int)Math.Round(length * density), 1, length - 1), noise);
        Assert.IsTrue(spans >= 1 && spans <= length - noise, $"{spans} noise spans need as many kept runs before them");
        Assert.IsFalse(mask[0]);
    }

    [TestMethod]
    public void Corrupt_Window_InputAndTargetReconstructTheOriginal()
    {
        int[] tokens = Enumerable.Range(100, 64).ToArray();
        var (input, target) = SpanCorruption.Corrupt(tokens, new Random(3), Sentinel, eosId: 1);

        Assert.AreEqual(1, input[^1]);
        Assert.AreEqual(1, target[^1]);
        // Replace each sentinel of the input by the target's span that follows the same sentinel.
        var spans = new Dictionary<int, List<int>>();
        int current = 0;
        foreach (int id in target[..^1])
        {
            if (id > 32000) spans[current = id] = new List<int>();
            else spans[current].Add(id);
        }
        var rebuilt = input[..^1].SelectMany(id => id > 32000 ? spans[id] : new List<int> { id }).ToArray();
        CollectionAssert.AreEqual(tokens, rebuilt);
        CollectionAssert.AreEqual(spans.Keys.ToArray(), Enumerable.Range(0, spans.Count).Select(Sentinel).ToArray(), "sentinels count up from extra_id_0");
    }

    [TestMethod]
    public void Corrupt_SameSeed_IsDeterministic()
    {
        int[] tokens = Enumerable.Range(5, 100).ToArray();
        var first = SpanCorruption.Corrupt(tokens, new Random(11), Sentinel, 1);
        var second = SpanCorruption.Corrupt(tokens, new Random(11), Sentinel, 1);
        CollectionAssert.AreEqual(first.Input, second.Input);
        CollectionAssert.AreEqual(first.Target, second.Target);
    }
}
