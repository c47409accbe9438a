using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

[TestClass]
public sealed class BertWordPieceTokenizerTests
{
    private static BertWordPieceTokenizer Tokenizer => SharedTokenizers.Bert;

    [TestMethod]
    public void Special_BertBaseUncased_HasHuggingFaceIds()
    {
        Assert.AreEqual(new SpecialTokens(PadId: 0, BosId: 101, EosId: 102, MaskId: 103, UnknownId: 100), Tokenizer.Special);
        Assert.AreEqual(30522, Tokenizer.VocabularySize);
    }

    [TestMethod]
    public void Encode_TextPair_UsesClsSepSepLayout()
    {
        IReadOnlyList<int> pair = Tokenizer.Encode("Hello world", "Hello");

        CollectionAssert.AreEqual(new[] { 101, 7592, 2088, 102, 7592, 102 }, pair.ToArray());
    }

    [TestMethod]
    public void Encode_MaskWrittenInText_EmitsMaskId()
    {
        CollectionAssert.AreEqual(new[] { 101, 3000, 2003, 103, 1012, 102 }, Tokenizer.Encode("Paris is [MASK].").ToArray());
    }

    [TestMethod]
    public void EncodeText_LowerCaseMaskSpelling_IsPlainText()
    {
        // Hugging Face matches special tokens case-sensitively, before lower-casing.
        CollectionAssert.AreEqual(new[] { 1031, 7308, 1033 }, Tokenizer.EncodeText("[mask]").ToArray());
    }

    [TestMethod]
    [DataRow("the capital of france is paris.")]
    [DataRow("it's a charming and often affecting journey.")]
    [DataRow("a gripping, moving film!")]
    [DataRow("")]
    public void Decode_EncodedLowerCaseText_RoundTrips(string text)
    {
        Assert.AreEqual(text, Tokenizer.Decode(Tokenizer.Encode(text)));
    }

    [TestMethod]
    public void Decode_HyphenatedWords_KeepsSpacesAroundHyphens()
    {
        // As transformers does: clean_up_tokenization rejoins only . ? ! , and English contractions.
        Assert.AreEqual("over - the - top", Tokenizer.Decode(Tokenizer.EncodeText("over-the-top")));
    }

    [TestMethod]
    public void Decode_KeepingSpecialTokens_WritesThem()
    {
        Assert.AreEqual("[CLS] hello world [SEP]", Tokenizer.Decode(Tokenizer.Encode("Hello world"), skipSpecialTokens: false));
    }

    [TestMethod]
    public void TokenToId_ContinuationPiece_FindsToken()
    {
        Assert.AreEqual(2075, Tokenizer.TokenToId("##ing"));
        Assert.AreEqual("[MASK]", Tokenizer.IdToToken(103));
        Assert.IsNull(Tokenizer.IdToToken(-1));
        Assert.IsNull(Tokenizer.TokenToId("Hello"));
    }

    [TestMethod]
    public void FromFile_Cased_DoesNotLowerCase()
    {
        BertWordPieceTokenizer cased = BertWordPieceTokenizer.FromFile(
            Path.Combine(SharedData.Tokenizer("bert-base-uncased"), "vocab.txt"), lowerCase: false);

        Assert.IsFalse(cased.LowerCase);
        CollectionAssert.AreEqual(new[] { 100 }, cased.EncodeText("Hello").ToArray());   // [UNK]: no capitalised tokens
    }
}
