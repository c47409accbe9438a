using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.Tokenization;
using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Prompts;

/// <summary>Layouts checked against ids read from the vocabularies and ../shared/fixtures/tokenizer_expected.json.</summary>
[TestClass]
public sealed class PromptEncoderTests
{
    private const int RobertaPad = 1, RobertaBos = 0, RobertaEos = 2, RobertaMask = 50264;
    private const string Paris = "The capital of France is Paris.";
    // " The capital of France is Paris." (word-initial forms) and " Hello world" in roberta-base.
    private static readonly int[] SpacedParisRoberta = [20, 812, 9, 1470, 16, 2201, 4];
    private static readonly int[] SpacedHelloRoberta = [20920, 232];

    [TestMethod]
    public void Encode_RobertaMaskedLmDefault_SoftTokensBeforeStartThenMaskAndTexts()
    {
        var encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(3), SharedTokenizers.Roberta, 512);

        EncodedPrompt row = encoder.Encode("Hello world", Paris);

        int[] expected = [RobertaPad, RobertaPad, RobertaPad, RobertaBos, RobertaMask, .. SpacedHelloRoberta, .. SpacedParisRoberta, RobertaEos];
        CollectionAssert.AreEqual(expected, row.InputIds.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }.Concat(Enumerable.Repeat(-1, expected.Length - 3)).ToArray(), row.SoftIndex.ToArray());
        Assert.AreEqual(4, row.MaskPosition);
        Assert.AreEqual(expected.Length, row.Length);
        Assert.AreEqual(3, row.SoftTokenCount);
        Assert.AreEqual(0, row.TruncatedTokens);
        Assert.IsTrue(row.IsSoft(2));
        Assert.IsFalse(row.IsSoft(3));
    }

    [TestMethod]
    public void Encode_RobertaWithoutOptionalTextB_LeavesItOut()
    {
        var encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(2), SharedTokenizers.Roberta, 512);

        CollectionAssert.AreEqual(new[] { RobertaPad, RobertaPad, RobertaBos, RobertaMask, 20920, 232, RobertaEos }, encoder.Encode("Hello world").InputIds.ToArray());
        CollectionAssert.AreEqual(encoder.Encode("Hello world").InputIds.ToArray(), encoder.Encode("Hello world", "   ").InputIds.ToArray());
    }

    [TestMethod]
    public void Encode_RobertaHardPromptTemplate_FirstTextPlainLiteralsAsWritten()
    {
        var encoder = new PromptEncoder(PromptTemplate.Parse("{soft:3} {text_a} It was {mask}."), SharedTokenizers.Roberta, 512);

        EncodedPrompt row = encoder.Encode("Hello world");

        // "Hello"=31414 starts the text (no space); " It was"=ĠIt ĠWas; "."=4.
        CollectionAssert.AreEqual(new[] { RobertaPad, RobertaPad, RobertaPad, RobertaBos, 31414, 232, 85, 21, RobertaMask, 4, RobertaEos }, row.InputIds.ToArray());
        Assert.AreEqual(8, row.MaskPosition);
    }

    [TestMethod]
    public void Encode_RobertaTextAfterLiteral_GetsWordInitialToken()
    {
        var encoder = new PromptEncoder(PromptTemplate.Parse("Review:{text_a}{mask}"), SharedTokenizers.Roberta, 512);

        // "Review"=32773 and ":"=35 as written; "great" after them becomes " great" = Ġgreat (372), not great (12338).
        CollectionAssert.AreEqual(new[] { RobertaBos, 32773, 35, 372, RobertaMask, RobertaEos }, encoder.Encode("great").InputIds.ToArray());
        CollectionAssert.AreEqual(new[] { RobertaBos, 12338, RobertaMask, RobertaEos },
            new PromptEncoder(PromptTemplate.Parse("{text_a}{mask}"), SharedTokenizers.Roberta, 512).Encode("great").InputIds.ToArray());
        CollectionAssert.AreEqual(new[] { RobertaBos, 32773, 35, 372, RobertaMask, RobertaEos }, encoder.Encode(" great").InputIds.ToArray(),
            "a text that already starts with a space gets no second one");
    }

    [TestMethod]
    public void Encode_LiteralEndingInANewline_KeepsTheNewline()
    {
        var encoder = new PromptEncoder(PromptTemplate.Parse("Review:\n{text_a}{mask}"), SharedTokenizers.Roberta, 512);

        // Only trailing spaces are separators: "\n" is Ċ (50118), as in Hugging Face's encoding of "Review:\n".
        CollectionAssert.AreEqual(new[] { 32773, 35, 50118 }, SharedTokenizers.Roberta.EncodeText("Review:\n").ToArray());
        CollectionAssert.AreEqual(new[] { RobertaBos, 32773, 35, 50118, 372, RobertaMask, RobertaEos }, encoder.Encode("great").InputIds.ToArray());
    }

    [TestMethod]
    public void Encode_SpacesBetweenLeadingSoftRuns_EncodeLikeOneRun()
    {
        var spaced = PromptTemplate.Parse("{soft:2} {soft:1} {mask}{text_a}");
        var joined = PromptTemplate.Parse("{soft:3}{mask}{text_a}");

        EncodedPrompt a = new PromptEncoder(spaced, SharedTokenizers.Roberta, 512).Encode("great");
        EncodedPrompt b = new PromptEncoder(joined, SharedTokenizers.Roberta, 512).Encode("great");

        Assert.AreEqual(3, spaced.LeadingSoftTokenCount, "all three soft tokens precede <s>");
        CollectionAssert.AreEqual(b.InputIds.ToArray(), a.InputIds.ToArray());
        Assert.AreEqual(b.MaskPosition, a.MaskPosition);
    }

    [TestMethod]
    public void Encode_RobertaSoftTokensInTheMiddle_StayInPlaceAndContinueNumbering()
    {
        var encoder = new PromptEncoder(PromptTemplate.Parse("{soft:2}{text_a}{soft}{mask}"), SharedTokenizers.Roberta, 512);

        EncodedPrompt row = encoder.Encode("great");

        CollectionAssert.AreEqual(new[] { RobertaPad, RobertaPad, RobertaBos, 12338, RobertaPad, RobertaMask, RobertaEos }, row.InputIds.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, -1, -1, 2, -1, -1 }, row.SoftIndex.ToArray());
        Assert.AreEqual(5, row.MaskPosition);
    }

    [TestMethod]
    public void Encode_BertMaskedLmDefault_SoftTokensBeforeClsThenMask()
    {
        var encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(2), SharedTokenizers.Bert, 512);

        EncodedPrompt row = encoder.Encode("Hello world", Paris);

        // [PAD]=0 in the soft slots, [CLS]=101, [MASK]=103, hello world, the capital of france is paris ., [SEP]=102.
        CollectionAssert.AreEqual(new[] { 0, 0, 101, 103, 7592, 2088, 1996, 3007, 1997, 2605, 2003, 3000, 1012, 102 }, row.InputIds.ToArray());
        Assert.AreEqual(3, row.MaskPosition);
        CollectionAssert.AreEqual(new[] { 0, 1, -1 }, row.SoftIndex.Take(3).ToArray());
    }

    [TestMethod]
    public void Encode_T5Seq2SeqDefault_SoftTokensThenTextsThenEos()
    {
        var encoder = new PromptEncoder(PromptTemplate.Seq2SeqDefault(2), SharedTokenizers.T5, 512);

        EncodedPrompt row = encoder.Encode(Paris, "Hello world");

        // <pad>=0 in the soft slots, the texts as tokenizer_expected.json gives them, </s>=1; no start token, no mask.
        CollectionAssert.AreEqual(new[] { 0, 0, 37, 1784, 13, 1410, 19, 1919, 5, 8774, 296, 1 }, row.InputIds.ToArray());
        Assert.AreEqual(-1, row.MaskPosition);
    }

    [TestMethod]
    [DataRow("bert-base-uncased")]
    [DataRow("t5")]
    public void Encode_WordPieceAndSentencePiece_LeadingSpaceChangesNothing(string family)
    {
        ModelTokenizer tokenizer = SharedTokenizers.ByName(family);

        CollectionAssert.AreEqual(tokenizer.EncodeText(Paris).ToArray(), tokenizer.EncodeText(" " + Paris).ToArray());
    }

    [TestMethod]
    public void Encode_T5TemplateWithMask_ThrowsNamingSeq2SeqDefault()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new PromptEncoder(PromptTemplate.MaskedLmDefault(2), SharedTokenizers.T5, 512));

        StringAssert.Contains(error.Message, "no mask token");
        StringAssert.Contains(error.Message, "Seq2SeqDefault");
    }

    [TestMethod]
    public void Encode_LongTextA_TruncatesOnlyTheLongerText()
    {
        // 3 soft + <s> + <mask> + </s> = 6 fixed tokens; 12 leaves 6 for texts of 7 and 2 tokens.
        var encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(3), SharedTokenizers.Roberta, 12);

        EncodedPrompt row = encoder.Encode(Paris.Replace("The", "Hello"), "Hello world");
        EncodedPrompt parisFirst = encoder.Encode("Hello world", Paris);

        Assert.AreEqual(12, row.Length);
        Assert.AreEqual(3, row.TruncatedTokens);
        CollectionAssert.AreEqual(new[] { RobertaPad, RobertaPad, RobertaPad, RobertaBos, RobertaMask, 20920, 812, 9, 1470, 20920, 232, RobertaEos }, row.InputIds.ToArray());
        CollectionAssert.AreEqual(new[] { RobertaPad, RobertaPad, RobertaPad, RobertaBos, RobertaMask, 20920, 232, 20, 812, 9, 1470, RobertaEos }, parisFirst.InputIds.ToArray());
        Assert.AreEqual(4, row.MaskPosition);
    }

    [TestMethod]
    public void Encode_TwoLongTexts_TruncatesLongestFirstEvenly()
    {
        var encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(3), SharedTokenizers.Roberta, 12);

        EncodedPrompt row = encoder.Encode(Paris, Paris);

        CollectionAssert.AreEqual(new[] { RobertaPad, RobertaPad, RobertaPad, RobertaBos, RobertaMask, 20, 812, 9, 20, 812, 9, RobertaEos }, row.InputIds.ToArray());
        Assert.AreEqual(8, row.TruncatedTokens);
    }

    [TestMethod]
    public void Encode_ThreeTexts_TruncatesLongestFirstLaterOnTies()
    {
        // {soft}, <s>, <mask>, </s> = 4 fixed; texts of 7, 2 and 7 tokens must fit in 10.
        var encoder = new PromptEncoder(PromptTemplate.Parse("{soft}{mask}{a}{b}{c}"), SharedTokenizers.Roberta, 14);

        EncodedPrompt row = encoder.Encode(new Dictionary<string, string?> { ["a"] = Paris, ["b"] = "Hello world", ["c"] = Paris });

        CollectionAssert.AreEqual(new[] { RobertaPad, RobertaBos, RobertaMask, 20, 812, 9, 1470, 20920, 232, 20, 812, 9, 1470, RobertaEos }, row.InputIds.ToArray());
        Assert.AreEqual(6, row.TruncatedTokens);
    }

    [TestMethod]
    public void Encode_TightBudget_NeverCutsSoftTokensMaskOrLiterals()
    {
        // 2 soft + <s> + "It was" (2) + <mask> + "." + </s> = 8 fixed tokens, leaving one for the text.
        var encoder = new PromptEncoder(PromptTemplate.Parse("{soft:2} {text_a} It was {mask}."), SharedTokenizers.Roberta, 9);

        EncodedPrompt row = encoder.Encode(Paris);

        CollectionAssert.AreEqual(new[] { RobertaPad, RobertaPad, RobertaBos, 133, 85, 21, RobertaMask, 4, RobertaEos }, row.InputIds.ToArray());
        Assert.AreEqual(6, row.MaskPosition);
        Assert.AreEqual(6, row.TruncatedTokens);
    }

    [TestMethod]
    public void Constructor_FixedPartsLongerThanMaxLength_ThrowsNamingTheNeed()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            new PromptEncoder(PromptTemplate.Parse("{soft:2} {text_a} It was {mask}."), SharedTokenizers.Roberta, 7));

        StringAssert.Contains(error.Message, "needs 8 tokens");
        Assert.AreEqual("maxLength", error.ParamName);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow(null)]
    public void Encode_EmptyRequiredText_ThrowsNamingTheColumn(string? text)
    {
        var encoder = new PromptEncoder(PromptTemplate.Parse("{soft:2}{mask}{sentence}"), SharedTokenizers.Roberta, 512);

        var error = Assert.ThrowsExactly<ArgumentException>(() => encoder.Encode(new Dictionary<string, string?> { ["sentence"] = text }));

        StringAssert.Contains(error.Message, "'sentence'");
    }

    [TestMethod]
    public void Encode_EmptyTextAllowed_ContributesNoTokens()
    {
        var encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(2), SharedTokenizers.Roberta, 512, allowEmptyText: true);

        CollectionAssert.AreEqual(new[] { RobertaPad, RobertaPad, RobertaBos, RobertaMask, RobertaEos }, encoder.Encode(" ").InputIds.ToArray());
    }

    [TestMethod]
    public void Encode_RowWithoutTemplateColumn_ThrowsNamingIt()
    {
        var encoder = new PromptEncoder(PromptTemplate.Parse("{premise} {hypothesis} {mask}"), SharedTokenizers.Roberta, 512);

        var error = Assert.ThrowsExactly<ArgumentException>(() => encoder.Encode("only text_a"));

        StringAssert.Contains(error.Message, "no column 'premise'");
    }

    [TestMethod]
    public void Constructor_LiteralHoldingMaskToken_Throws()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            new PromptEncoder(PromptTemplate.Parse("{text_a} It was <mask>."), SharedTokenizers.Roberta, 512));

        StringAssert.Contains(error.Message, "write {mask}");
    }
}
