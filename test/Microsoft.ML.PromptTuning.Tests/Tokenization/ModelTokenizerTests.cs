using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

/// <summary>Behaviour every family shares.</summary>
[TestClass]
public sealed class ModelTokenizerTests
{
    [TestMethod]
    [DataRow("roberta-base", 2, 4)]
    [DataRow("bert-base-uncased", 2, 3)]
    [DataRow("t5", 1, 2)]
    public void SpecialTokenCount_SingleAndPair_MatchesLayout(string family, int single, int pair)
    {
        ModelTokenizer tokenizer = SharedTokenizers.ByName(family);

        Assert.AreEqual(single, tokenizer.SpecialTokenCount(pair: false));
        Assert.AreEqual(pair, tokenizer.SpecialTokenCount(pair: true));
    }

    [TestMethod]
    [DataRow("roberta-base")]
    [DataRow("bert-base-uncased")]
    [DataRow("t5")]
    public void Decode_IdOutsideVocabulary_ThrowsArgumentOutOfRange(string family)
    {
        ModelTokenizer tokenizer = SharedTokenizers.ByName(family);

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => tokenizer.Decode([5, tokenizer.VocabularySize]));
        StringAssert.Contains(error.Message, tokenizer.VocabularySize.ToString());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => tokenizer.Decode([-1]));
    }

    [TestMethod]
    [DataRow("roberta-base")]
    [DataRow("bert-base-uncased")]
    [DataRow("t5")]
    public void EncodeText_NullText_ThrowsArgumentNull(string family)
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => SharedTokenizers.ByName(family).EncodeText(null!));
    }

    [TestMethod]
    [DataRow("roberta-base")]
    [DataRow("bert-base-uncased")]
    [DataRow("t5")]
    public void Encode_FromManyThreads_GivesSameIdsAsSequential(string family)
    {
        ModelTokenizer tokenizer = SharedTokenizers.ByName(family);
        string[] texts = Enumerable.Range(0, 200).Select(i => $"Sample {i}: the film is <mask> and naïve, {i * 7} times.").ToArray();
        int[][] sequential = texts.Select(text => tokenizer.Encode(text).ToArray()).ToArray();

        var parallel = new int[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = tokenizer.Encode(texts[i]).ToArray());

        for (int i = 0; i < texts.Length; i++)
            CollectionAssert.AreEqual(sequential[i], parallel[i], texts[i]);
    }
}
