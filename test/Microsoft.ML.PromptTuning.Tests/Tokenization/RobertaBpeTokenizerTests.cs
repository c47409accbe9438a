using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

[TestClass]
public sealed class RobertaBpeTokenizerTests
{
    private static RobertaBpeTokenizer Tokenizer => SharedTokenizers.Roberta;

    [TestMethod]
    public void Special_RobertaBase_HasHuggingFaceIds()
    {
        Assert.AreEqual(new SpecialTokens(PadId: 1, BosId: 0, EosId: 2, MaskId: 50264, UnknownId: 3), Tokenizer.Special);
        Assert.AreEqual(50265, Tokenizer.VocabularySize);
    }

    [TestMethod]
    public void Encode_TextPair_UsesDoubleSeparatorLayout()
    {
        IReadOnlyList<int> a = Tokenizer.EncodeText("Hello world");
        IReadOnlyList<int> b = Tokenizer.EncodeText("The capital of France is Paris.");

        IReadOnlyList<int> pair = Tokenizer.Encode("Hello world", "The capital of France is Paris.");

        int[] expected = [0, .. a, 2, 2, .. b, 2];
        CollectionAssert.AreEqual(expected, pair.ToArray());
    }

    [TestMethod]
    public void Encode_MaskWrittenInText_EmitsMaskIdAndAbsorbsSpaceBefore()
    {
        IReadOnlyList<int> ids = Tokenizer.Encode("The capital of France is <mask>.");

        // transformers: tokenizer("The capital of France is <mask>.") — <mask> is an added token with lstrip=True.
        CollectionAssert.AreEqual(new[] { 0, 133, 812, 9, 1470, 16, 50264, 4, 2 }, ids.ToArray());
    }

    [TestMethod]
    public void EncodeText_MaskFollowedBySpace_KeepsSpaceOnNextWord()
    {
        IReadOnlyList<int> ids = Tokenizer.EncodeText("<mask> is great");

        CollectionAssert.AreEqual(new[] { 50264, 16, 372 }, ids.ToArray());   // "Ġis", "Ġgreat"
    }

    [TestMethod]
    [DataRow("<s>", 0)]
    [DataRow("</s>", 2)]
    [DataRow("<pad>", 1)]
    [DataRow("<unk>", 3)]
    public void EncodeText_SpecialTokenWrittenInText_EmitsItsId(string token, int id)
    {
        IReadOnlyList<int> ids = Tokenizer.EncodeText($"Hello{token}world");

        CollectionAssert.AreEqual(new[] { 31414, id, 8331 }, ids.ToArray());   // "world" without a space is 8331
    }

    [TestMethod]
    public void EncodeText_MaskInOtherCase_IsPlainText()
    {
        CollectionAssert.DoesNotContain(Tokenizer.EncodeText("is <MASK>").ToArray(), 50264);
    }

    [TestMethod]
    [DataRow("The capital of France is Paris.")]
    [DataRow("Don't waste your money: 2 hours of   pure boredom!!")]
    [DataRow(" leading space and trailing space ")]
    [DataRow("naïve café déjà vu — “quotes” & ümlauts")]
    [DataRow("")]
    public void Decode_EncodedText_RoundTrips(string text)
    {
        Assert.AreEqual(text, Tokenizer.Decode(Tokenizer.Encode(text)));
    }

    [TestMethod]
    public void Decode_KeepingSpecialTokens_WritesThem()
    {
        Assert.AreEqual("<s>Hello world</s>", Tokenizer.Decode(Tokenizer.Encode("Hello world"), skipSpecialTokens: false));
    }

    [TestMethod]
    public void TokenToId_ByteLevelSpelling_FindsToken()
    {
        Assert.AreEqual(205, Tokenizer.TokenToId("Ġgood"));
        Assert.AreEqual("Ġgood", Tokenizer.IdToToken(205));
        Assert.AreEqual("<mask>", Tokenizer.IdToToken(50264));
        Assert.IsNull(Tokenizer.TokenToId("not-a-token"));
        Assert.IsNull(Tokenizer.IdToToken(50265));
    }
}
