using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Projection;
using Microsoft.ML.PromptTuning.Prompts;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Projection;

/// <summary>The projector module: shapes, seeding, activations, backbone and length checks, and the safetensors round trip.</summary>
[TestClass]
public sealed class PromptProjectorTests
{
    internal static readonly BackboneInfo Roberta = new("roberta-small", "roberta", 32, 2, 4);
    internal static readonly BackboneInfo T5 = new("t5-small", "t5", 16, 2, 4);

    [TestMethod]
    [DataRow(4, 32, 4, 16)]
    [DataRow(3, 16, 3, 32)]
    [DataRow(1, 8, 1, 8)]
    [DataRow(5, 12, 2, 20)]
    public void Forward_SeveralShapes_GivesTargetTokensByTargetWidth(int sourceTokens, int sourceWidth, int targetTokens, int targetWidth)
    {
        var config = new PromptProjectorConfig(Roberta with { HiddenSize = sourceWidth }, T5 with { HiddenSize = targetWidth }, sourceTokens, targetTokens,
            HiddenSize: 24, AllowLengthChange: sourceTokens != targetTokens);
        using var projector = new PromptProjector(config);
        using var source = randn(sourceTokens, sourceWidth);
        using var batch = randn(3, sourceTokens, sourceWidth);

        using var single = projector.forward(source);
        using var batched = projector.forward(batch);
        using var first = projector.forward(batch[0]);

        CollectionAssert.AreEqual(new long[] { targetTokens, targetWidth }, single.shape);
        CollectionAssert.AreEqual(new long[] { 3, targetTokens, targetWidth }, batched.shape);
        Assert.IsTrue(batched[0].allclose(first, atol: 1e-6), "a batch projects each prompt on its own");
        // The final LayerNorm (identity affine at initialisation) normalises each soft token.
        Assert.IsTrue(single.mean(new long[] { 1 }).abs().max().item<float>() < 1e-4);
        CollectionAssert.AreEqual(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "layer_norm.weight", "layer_norm.bias" }, projector.NamedParameters.Select(p => p.Name).ToArray());
        CollectionAssert.AreEqual(new long[] { 24, sourceTokens * sourceWidth }, projector.fc1.weight.shape);
        CollectionAssert.AreEqual(new long[] { targetTokens * targetWidth, 24 }, projector.fc2.weight.shape);
    }

    [TestMethod]
    public void Constructor_SameSeed_SameWeightsAndOtherSeedOthers()
    {
        var config = Config();
        using var a = new PromptProjector(config, seed: 7);
        using var b = new PromptProjector(config, seed: 7);
        using var c = new PromptProjector(config, seed: 8);
        Assert.IsTrue(a.fc1.weight.allclose(b.fc1.weight, rtol: 0, atol: 0));
        Assert.IsFalse(a.fc1.weight.allclose(c.fc1.weight, rtol: 0, atol: 0));
        double bound = 1 / Math.Sqrt(config.SourceWidth);
        Assert.IsTrue(a.fc1.weight.abs().max().item<float>() <= bound, "PyTorch's Linear initialisation range");
    }

    [TestMethod]
    public void Forward_LeakyReLU_DiffersFromTanh()
    {
        using var tanh = new PromptProjector(Config());
        using var leaky = new PromptProjector(Config() with { Activation = ProjectorActivation.LeakyReLU });
        using var source = randn(4, 32) * 3;
        Assert.IsFalse(tanh.forward(source).allclose(leaky.forward(source), atol: 1e-3));
    }

    [TestMethod]
    public void Config_DifferentLengthsWithoutAllowLengthChange_ThrowsNamingTheOption()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new PromptProjector(Config() with { TargetTokens = 6 }));
        StringAssert.Contains(error.Message, "AllowLengthChange");
        using var allowed = new PromptProjector(Config() with { TargetTokens = 6, AllowLengthChange = true });
        Assert.AreEqual(6, allowed.forward(randn(4, 32)).shape[0]);
    }

    [TestMethod]
    public void Forward_WrongShape_ThrowsNamingTheExpectedShape()
    {
        using var projector = new PromptProjector(Config());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => projector.forward(randn(4, 16))).Message, "[4, 32]");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => projector.forward(randn(5, 32))).Message, "[4, 32]");
    }

    [TestMethod]
    public void Project_PromptFromAnotherBackboneOfTheSameWidth_ThrowsNamingBoth()
    {
        using var projector = new PromptProjector(Config());
        using var wrong = new SoftPrompt(randn(4, 32), new BackboneInfo("bert-tiny", "bert", 32, 2, 4));
        var error = Assert.ThrowsExactly<ArgumentException>(() => projector.Project(wrong));
        StringAssert.Contains(error.Message, "bert");
        StringAssert.Contains(error.Message, "roberta");
        using var wrongLength = new SoftPrompt(randn(5, 32), Roberta);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => projector.Project(wrongLength)).Message, "5 soft tokens");
    }

    [TestMethod]
    public void Project_RobertaPrompt_GivesT5PromptWithTheTemplateCarriedOver()
    {
        using var projector = new PromptProjector(Config());
        var words = LabelWords.SentimentBinary();
        using var source = new SoftPrompt(randn(4, 32), Roberta, PromptTemplate.Parse("{soft:4}{mask}{text_a}"), words);
        using var projected = projector.Project(source);
        Assert.AreEqual(T5, projected.Backbone);
        Assert.AreEqual("{soft:4}{text_a}", projected.Template!.ToString());
        Assert.AreSame(words, projected.LabelWords);
        Assert.IsTrue(projected.Embeddings.allclose(projector.forward(source.Embeddings), atol: 1e-6));
    }

    [TestMethod]
    public void SaveLoad_Safetensors_GivesTheSameProjection()
    {
        string folder = Directory.CreateTempSubdirectory("projector-file-").FullName;
        try
        {
            string path = Path.Combine(folder, "projector.safetensors");
            using var projector = new PromptProjector(Config() with { Activation = ProjectorActivation.LeakyReLU }, seed: 3);
            projector.Save(path);
            using var loaded = PromptProjector.Load(path);
            using var source = randn(4, 32);
            Assert.AreEqual(projector.Config, loaded.Config);
            Assert.IsTrue(projector.forward(source).allclose(loaded.forward(source), rtol: 0, atol: 0));
            Assert.AreEqual(0, Directory.GetFiles(folder, "*.tmp").Length, "written atomically, no temporary left");

            using (var notAProjector = new SoftPrompt(randn(4, 32), Roberta))
                notAProjector.Save(path);
            StringAssert.Contains(Assert.ThrowsExactly<CheckpointFormatException>(() => PromptProjector.Load(path)).Message, "prompt_projector");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void ProjectedTemplate_AcrossFamilies_MovesTheMaskAndTheLength()
    {
        var masked = PromptTemplate.Parse("{soft:4}{mask}{text_a} It was.");
        var seq2seq = PromptTemplate.Parse("{soft:4}{text_a}{text_b?}");
        Assert.AreEqual("{soft:4}{text_a} It was.", ProjectedTemplate.For(masked, T5, 4).ToString());
        Assert.AreEqual("{soft:4}{mask}{text_a}{text_b?}", ProjectedTemplate.For(seq2seq, Roberta, 4).ToString());
        Assert.AreEqual("{soft:6}{mask}{text_a}{text_b?}", ProjectedTemplate.For(seq2seq, Roberta, 6).ToString());
        Assert.AreEqual("{soft:3}{text_a}{text_b?}", ProjectedTemplate.For(null, T5, 3).ToString());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ProjectedTemplate.For(PromptTemplate.Parse("{soft:2}{text_a}{soft:2}"), Roberta, 5)).Message, "explicitly");
    }

    private static PromptProjectorConfig Config() => new(Roberta, T5, 4, 4, HiddenSize: 16);
}
