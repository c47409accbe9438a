using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

[TestClass]
public sealed class T5SentencePieceTokenizerTests
{
    private static T5SentencePieceTokenizer Tokenizer => SharedTokenizers.T5;

    [TestMethod]
    public void Special_T5_HasPadEosUnkAndNoBosOrMask()
    {
        Assert.AreEqual(new SpecialTokens(PadId: 0, BosId: null, EosId: 1, MaskId: null, UnknownId: 2), Tokenizer.Special);
        Assert.AreEqual(32100, Tokenizer.VocabularySize);
    }

    [TestMethod]
    [DataRow(0, 32099)]
    [DataRow(1, 32098)]
    [DataRow(99, 32000)]
    public void SentinelId_Index_CountsDownFromTheTop(int index, int id)
    {
        Assert.AreEqual(id, Tokenizer.SentinelId(index));
        Assert.AreEqual(id, Tokenizer.TokenToId($"<extra_id_{index}>"));
        Assert.AreEqual($"<extra_id_{index}>", Tokenizer.IdToToken(id));
    }

    [TestMethod]
    [DataRow("<extra_id_100>")]
    [DataRow("<extra_id_01>")]
    [DataRow("<extra_id_-1>")]
    public void TokenToId_NotASentinel_ReturnsNull(string token)
    {
        Assert.IsNull(Tokenizer.TokenToId(token));
    }

    [TestMethod]
    public void Encode_SentinelsWrittenInText_EmitSentinelIds()
    {
        IReadOnlyList<int> ids = Tokenizer.Encode("The <extra_id_0> walks in <extra_id_1> park");

        CollectionAssert.AreEqual(new[] { 37, 32099, 10681, 16, 32098, 2447, 1 }, ids.ToArray());
    }

    [TestMethod]
    public void Encode_TextPair_EndsEachTextWithEos()
    {
        IReadOnlyList<int> pair = Tokenizer.Encode("Hello world", "The capital of France is Paris.");

        CollectionAssert.AreEqual(new[] { 8774, 296, 1, 37, 1784, 13, 1410, 19, 1919, 5, 1 }, pair.ToArray());
    }

    [TestMethod]
    [DataRow("The capital of France is Paris.")]
    [DataRow("translate English to German: That is good.")]
    [DataRow("Don't waste your money!")]
    [DataRow("")]
    public void Decode_EncodedText_RoundTrips(string text)
    {
        Assert.AreEqual(text, Tokenizer.Decode(Tokenizer.Encode(text)));
    }

    [TestMethod]
    public void Decode_Sentinels_WrittenOnlyWhenSpecialTokensKept()
    {
        int[] ids = [0, 32099, 5295, 1782, 32098, 1];   // <pad> <extra_id_0> ▁cute ▁dog <extra_id_1> </s>

        Assert.AreEqual("<pad><extra_id_0> cute dog<extra_id_1></s>", Tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.AreEqual("cute dog", Tokenizer.Decode(ids));
    }

    [TestMethod]
    public void IdToToken_Piece_ReturnsSentencePieceSpelling()
    {
        Assert.AreEqual("▁The", Tokenizer.IdToToken(37));
        Assert.AreEqual(37, Tokenizer.TokenToId("▁The"));
        Assert.AreEqual("<unk>", Tokenizer.IdToToken(2));
        Assert.IsNull(Tokenizer.IdToToken(32100));
    }
}
