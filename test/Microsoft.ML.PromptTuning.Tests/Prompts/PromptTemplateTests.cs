using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Tests.Prompts;

[TestClass]
public sealed class PromptTemplateTests
{
    [TestMethod]
    public void Parse_SoftTextLiteralMask_GivesPartsInOrder()
    {
        PromptTemplate template = PromptTemplate.Parse("{soft:20} {text_a} It was {mask}.");

        CollectionAssert.AreEqual(
            new TemplatePart[] { new SoftTokensPart(20), new TextPart(" "), new PlaceholderPart("text_a"), new TextPart(" It was "), new MaskPart(), new TextPart(".") },
            template.Parts.ToArray());
        Assert.AreEqual(20, template.SoftTokenCount);
        Assert.AreEqual(20, template.LeadingSoftTokenCount);
        CollectionAssert.AreEqual(new[] { "text_a" }, template.Placeholders.ToArray());
        Assert.IsTrue(template.HasMask);
    }

    [TestMethod]
    [DataRow("{soft}{text_a}", 1, 1, "text_a")]
    [DataRow("{soft:3}{soft:2}{sentence}{mask}", 5, 5, "sentence")]
    [DataRow("Review: {soft:4} {placeholder:my column} {mask}", 4, 0, "my column")]
    [DataRow("{ soft : 7 }{ meta:premise }{hypothesis?}{mask}", 7, 7, "premise,hypothesis")]
    [DataRow("{text_a} {soft:2} {text_b}", 2, 0, "text_a,text_b")]
    [DataRow("{placeholder:mask} {placeholder:soft}", 0, 0, "mask,soft")]
    public void Parse_ValidForms_CountsSoftTokensAndPlaceholders(string text, int soft, int leading, string placeholders)
    {
        PromptTemplate template = PromptTemplate.Parse(text);

        Assert.AreEqual(soft, template.SoftTokenCount);
        Assert.AreEqual(leading, template.LeadingSoftTokenCount);
        Assert.AreEqual(placeholders, string.Join(",", template.Placeholders));
    }

    [TestMethod]
    public void Parse_OptionalPlaceholderAndEscapedBraces_KeepsBothMeanings()
    {
        PromptTemplate template = PromptTemplate.Parse("{{literal}} {text_a} {text_b?}");

        Assert.AreEqual(new TextPart("{literal} "), template.Parts[0]);
        Assert.AreEqual(new PlaceholderPart("text_b", IsOptional: true), template.Parts[^1]);
        Assert.IsFalse(template.HasMask);
    }

    [TestMethod]
    [DataRow("{soft:20} {text_a} It was {mask}.")]
    [DataRow("{soft}{mask}{text_a}{text_b?}")]
    [DataRow("{{braces}} {placeholder:my column} and {placeholder:mask}{mask}")]
    [DataRow("Premise: {premise} Hypothesis: {hypothesis?} {soft:3} Answer: {mask}")]
    public void ToString_CanonicalTemplate_RoundTripsExactly(string text)
    {
        PromptTemplate template = PromptTemplate.Parse(text);

        Assert.AreEqual(text, template.ToString());
        CollectionAssert.AreEqual(template.Parts.ToArray(), PromptTemplate.Parse(template.ToString()).Parts.ToArray());
    }

    [TestMethod]
    public void ToString_NonCanonicalSpelling_ParsesBackToEqualParts()
    {
        PromptTemplate template = PromptTemplate.Parse("{ soft:1 }{meta:text_a}{ mask }");

        Assert.AreEqual("{soft}{text_a}{mask}", template.ToString());
        CollectionAssert.AreEqual(template.Parts.ToArray(), PromptTemplate.Parse(template.ToString()).Parts.ToArray());
    }

    [TestMethod]
    [DataRow("{soft:20 {text_a}", "not closed before")]
    [DataRow("{text_a", "never closed")]
    [DataRow("{text_a}}", "closes nothing")]
    [DataRow("{text_a} {}", "empty")]
    [DataRow("{soft:0}{text_a}", "outside [1, 4096]")]
    [DataRow("{soft:-3}{text_a}", "outside [1, 4096]")]
    [DataRow("{soft:100000}{text_a}", "outside [1, 4096]")]
    [DataRow("{soft:3000}{soft:3000}{text_a}", "exceed the limit")]
    [DataRow("{soft:many}{text_a}", "not a whole number")]
    [DataRow("{soft:2.5}{text_a}", "not a whole number")]
    [DataRow("{hard:3}{text_a}", "not a known form")]
    [DataRow("{mask:2}{text_a}", "takes no argument")]
    [DataRow("{text_a}{mask}{mask}", "more than once")]
    [DataRow("{text_a} and {text_a}", "'text_a' appears more than once")]
    [DataRow("{soft:10}{mask}", "no required text placeholder")]
    [DataRow("{soft:10}{text_b?}", "no required text placeholder")]
    [DataRow("{my column}", "not a placeholder name")]
    [DataRow("{placeholder:}", "names no column")]
    [DataRow("", "empty")]
    public void Parse_Malformed_ThrowsArgumentExceptionNamingProblem(string text, string problem)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => PromptTemplate.Parse(text));

        StringAssert.Contains(error.Message, problem);
        Assert.AreEqual("template", error.ParamName);
    }

    [TestMethod]
    public void Constructor_PartsWithInvalidColumnOrEmptyLiteral_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new PromptTemplate([new PlaceholderPart("a}b")]));
        Assert.ThrowsExactly<ArgumentException>(() => new PromptTemplate([new PlaceholderPart(" ")]));
        Assert.ThrowsExactly<ArgumentException>(() => new PromptTemplate([new TextPart(""), new PlaceholderPart("text_a")]));
        Assert.ThrowsExactly<ArgumentException>(() => new PromptTemplate([null!, new PlaceholderPart("text_a")]));
    }

    [TestMethod]
    public void Constructor_AdjacentLiterals_AreMerged()
    {
        var template = new PromptTemplate([new TextPart("It "), new TextPart("was"), new PlaceholderPart("text_a")]);

        Assert.AreEqual(2, template.Parts.Count);
        Assert.AreEqual(new TextPart("It was"), template.Parts[0]);
    }

    [TestMethod]
    [DataRow(100)]
    [DataRow(1)]
    public void MaskedLmDefault_SoftTokens_IsSoftMaskTextATextBOptional(int soft)
    {
        PromptTemplate template = PromptTemplate.MaskedLmDefault(soft);

        Assert.AreEqual((soft == 1 ? "{soft}" : $"{{soft:{soft}}}") + "{mask}{text_a}{text_b?}", template.ToString());
        Assert.AreEqual(soft, template.LeadingSoftTokenCount);
        Assert.IsTrue(template.HasMask);
    }

    [TestMethod]
    public void Seq2SeqDefault_Default_HasHundredSoftTokensAndNoMask()
    {
        PromptTemplate template = PromptTemplate.Seq2SeqDefault();

        Assert.AreEqual("{soft:100}{text_a}{text_b?}", template.ToString());
        Assert.IsFalse(template.HasMask);
        CollectionAssert.AreEqual(new[] { "text_a", "text_b" }, template.Placeholders.ToArray());
    }

    [TestMethod]
    public void MaskedLmDefault_ZeroSoftTokens_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => PromptTemplate.MaskedLmDefault(0));
    }
}
