using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

[TestClass]
public sealed class SequenceTruncationTests
{
    [TestMethod]
    [DataRow(5, 3, 6, 3, 3)]    // the longer loses tokens until the two are even
    [DataRow(4, 4, 5, 3, 2)]    // then they alternate, the second losing the odd token
    [DataRow(6, 1, 3, 2, 1)]
    [DataRow(1, 6, 3, 1, 2)]
    [DataRow(3, 5, 2, 1, 1)]
    [DataRow(2, 2, 10, 2, 2)]   // within budget: untouched
    [DataRow(3, 3, 0, 0, 0)]
    public void TruncateLongestFirst_Pair_LeavesExpectedLengths(int firstCount, int secondCount, int maxTokens, int firstLeft, int secondLeft)
    {
        List<int> first = Enumerable.Range(0, firstCount).ToList(), second = Enumerable.Range(100, secondCount).ToList();

        int removed = SequenceTruncation.TruncateLongestFirst(first, second, maxTokens);

        CollectionAssert.AreEqual(Enumerable.Range(0, firstLeft).ToList(), first, "the first keeps its prefix");
        CollectionAssert.AreEqual(Enumerable.Range(100, secondLeft).ToList(), second, "the second keeps its prefix");
        Assert.AreEqual(firstCount + secondCount - firstLeft - secondLeft, removed);
    }

    [TestMethod]
    [DataRow(10, 4, 4)]
    [DataRow(3, 4, 3)]
    [DataRow(0, 0, 0)]
    public void TruncateLongestFirst_SingleSequence_CutsTheEnd(int count, int maxTokens, int left)
    {
        List<int> first = Enumerable.Range(0, count).ToList();

        SequenceTruncation.TruncateLongestFirst(first, null, maxTokens);

        CollectionAssert.AreEqual(Enumerable.Range(0, left).ToList(), first);
    }

    [TestMethod]
    public void TruncateLongestFirst_AllSmallCases_MatchesOneTokenAtATimeDefinition()
    {
        for (int a = 0; a <= 7; a++)
            for (int b = 0; b <= 7; b++)
                for (int max = 0; max <= 15; max++)
                {
                    List<int> first = Enumerable.Range(0, a).ToList(), second = Enumerable.Range(0, b).ToList();
                    (int expectedA, int expectedB) = OneAtATime(a, b, max);

                    SequenceTruncation.TruncateLongestFirst(first, second, max);

                    Assert.AreEqual((expectedA, expectedB), (first.Count, second.Count), $"a={a} b={b} max={max}");
                }
    }

    [TestMethod]
    public void TruncateLongestFirst_NegativeBudget_Throws()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SequenceTruncation.TruncateLongestFirst([1], null, -1));
    }

    /// <summary>The definition in transformers: while too long, drop the last token of the longer (the second on a tie).</summary>
    private static (int, int) OneAtATime(int a, int b, int max)
    {
        while (a + b > max)
        {
            if (a > b)
                a--;
            else
                b--;
        }
        return (a, b);
    }
}
