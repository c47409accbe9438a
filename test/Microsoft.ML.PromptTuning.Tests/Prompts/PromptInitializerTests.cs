using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.Backbones;
using Microsoft.ML.PromptTuning.Tests.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Prompts;

[TestClass]
public sealed class PromptInitializerTests
{
    private static MaskedLanguageModel s_roberta = null!;

    [ClassInitialize]
    public static void LoadModel(TestContext _) => s_roberta = (MaskedLanguageModel)FixtureModels.Load("roberta-tiny", "model.safetensors");

    [ClassCleanup]
    public static void DisposeModel() => s_roberta.Dispose();

    [TestMethod]
    [DataRow(PromptInitialization.RandomNormal)]
    [DataRow(PromptInitialization.SampledVocabulary)]
    [DataRow(PromptInitialization.FromText)]
    public void Create_SameSeed_SameFloat32PromptOfRequestedShape(PromptInitialization mode)
    {
        var options = new PromptInitializerOptions { Mode = mode, Seed = 7, Text = "Classify the sentiment of the review." };

        using Tensor first = PromptInitializer.Create(s_roberta, 12, options, SharedTokenizers.Roberta);
        using Tensor second = PromptInitializer.Create(s_roberta, 12, options, SharedTokenizers.Roberta);

        CollectionAssert.AreEqual(new long[] { 12, s_roberta.HiddenSize }, first.shape);
        Assert.AreEqual(ScalarType.Float32, first.dtype);
        Assert.IsFalse(first.requires_grad);
        Assert.IsTrue(PromptTensors.Same(first, second));
    }

    [TestMethod]
    [DataRow(PromptInitialization.RandomNormal)]
    [DataRow(PromptInitialization.SampledVocabulary)]
    public void Create_DifferentSeeds_DifferentPrompts(PromptInitialization mode)
    {
        using Tensor a = PromptInitializer.Create(s_roberta, 8, new PromptInitializerOptions { Mode = mode, Seed = 1 }, SharedTokenizers.Roberta);
        using Tensor b = PromptInitializer.Create(s_roberta, 8, new PromptInitializerOptions { Mode = mode, Seed = 2 }, SharedTokenizers.Roberta);

        Assert.IsFalse(PromptTensors.Same(a, b));
    }

    [TestMethod]
    public void Create_RandomNormalWithStd_HasThatSpreadAroundZero()
    {
        using Tensor prompt = PromptInitializer.Create(s_roberta, 200, new PromptInitializerOptions { Mode = PromptInitialization.RandomNormal, NormalStd = 0.5 });

        Assert.AreEqual(0.5, prompt.std().item<float>(), 0.03);
        Assert.AreEqual(0.0, prompt.mean().item<float>(), 0.03);
    }

    [TestMethod]
    public void Create_RandomNormalDefaultStd_MatchesWordEmbeddingSpread()
    {
        using Tensor prompt = PromptInitializer.Create(s_roberta, 400, new PromptInitializerOptions { Mode = PromptInitialization.RandomNormal });
        double embeddingStd = s_roberta.WordEmbeddings.std().item<float>();

        Assert.AreEqual(embeddingStd, prompt.std().item<float>(), embeddingStd * 0.05);
    }

    [TestMethod]
    public void Create_SampledVocabulary_RowsAreDistinctOrdinaryEmbeddingRowsAmongFirstIds()
    {
        var options = new PromptInitializerOptions { Mode = PromptInitialization.SampledVocabulary, VocabularySampleSize = 50, Seed = 3 };

        using Tensor prompt = PromptInitializer.Create(s_roberta, 40, options, SharedTokenizers.Roberta);

        using Tensor candidates = s_roberta.WordEmbeddings.narrow(0, 0, 50).detach();
        var ids = new List<long>();
        for (int row = 0; row < 40; row++)
        {
            using Tensor matches = candidates.eq(prompt[row]).all(1).nonzero();
            Assert.AreEqual(1L, matches.shape[0], $"row {row} is one row of the first 50 embeddings");
            ids.Add(matches[0, 0].item<long>());
        }
        Assert.AreEqual(40, ids.Distinct().Count(), "rows are drawn without replacement");
        CollectionAssert.IsSubsetOf(ids, Enumerable.Range(4, 46).Select(i => (long)i).ToList(), "<s>, <pad>, </s> and <unk> (ids 0-3) are skipped");
    }

    [TestMethod]
    public void Create_SampledVocabularyLongerThanCandidates_RepeatsRows()
    {
        var options = new PromptInitializerOptions { Mode = PromptInitialization.SampledVocabulary, VocabularySampleSize = 6 };

        using Tensor prompt = PromptInitializer.Create(s_roberta, 5, options, SharedTokenizers.Roberta);

        CollectionAssert.AreEqual(new long[] { 5, s_roberta.HiddenSize }, prompt.shape);
        Assert.AreEqual(2, PromptTensors.DistinctRows(prompt), "ids 4 and 5 are the only ordinary tokens among the first 6");
    }

    [TestMethod]
    public void Create_FromText_CyclesTheTextsTokenEmbeddings()
    {
        const string text = "Hello world";
        int[] ids = SharedTokenizers.Roberta.EncodeText(text).ToArray();
        var options = new PromptInitializerOptions { Mode = PromptInitialization.FromText, Text = text };

        using Tensor prompt = PromptInitializer.Create(s_roberta, 5, options, SharedTokenizers.Roberta);

        for (int row = 0; row < 5; row++)
            Assert.IsTrue(PromptTensors.Same(prompt[row], s_roberta.WordEmbeddings[ids[row % ids.Length]]), $"row {row}");
    }

    [TestMethod]
    public void Create_FromTextLongerThanPrompt_TakesItsFirstTokens()
    {
        int[] ids = SharedTokenizers.Roberta.EncodeText("The capital of France is Paris.").ToArray();
        var options = new PromptInitializerOptions { Mode = PromptInitialization.FromText, Text = "The capital of France is Paris." };

        using Tensor prompt = PromptInitializer.Create(s_roberta, 3, options, SharedTokenizers.Roberta);

        for (int row = 0; row < 3; row++)
            Assert.IsTrue(PromptTensors.Same(prompt[row], s_roberta.WordEmbeddings[ids[row]]), $"row {row}");
    }

    [TestMethod]
    public void Create_FromPrompt_CopiesTheSourceEmbeddings()
    {
        using var source = new SoftPrompt(randn(6, s_roberta.HiddenSize), BackboneInfo.FromModel(s_roberta, "roberta-tiny"));
        var options = new PromptInitializerOptions { Mode = PromptInitialization.FromPrompt, Source = source };

        using Tensor original = source.Embeddings.clone();

        using Tensor prompt = PromptInitializer.Create(s_roberta, 6, options);

        Assert.IsTrue(PromptTensors.Same(original, prompt));
        prompt.add_(1);
        Assert.IsTrue(PromptTensors.Same(original, source.Embeddings), "the copy does not share storage with the source");
    }

    [TestMethod]
    public void Create_FromPromptOfOtherWidthOrLength_ThrowsNamingSizes()
    {
        using var narrow = new SoftPrompt(randn(6, 16), new BackboneInfo("other", "bert", 16));
        using var shorter = new SoftPrompt(randn(4, s_roberta.HiddenSize), BackboneInfo.FromModel(s_roberta, "roberta-tiny"));

        var width = Assert.ThrowsExactly<ArgumentException>(() =>
            PromptInitializer.Create(s_roberta, 6, new PromptInitializerOptions { Mode = PromptInitialization.FromPrompt, Source = narrow }));
        var length = Assert.ThrowsExactly<ArgumentException>(() =>
            PromptInitializer.Create(s_roberta, 6, new PromptInitializerOptions { Mode = PromptInitialization.FromPrompt, Source = shorter }));

        StringAssert.Contains(width.Message, "16 wide");
        StringAssert.Contains(width.Message, "hidden size is 32");
        StringAssert.Contains(length.Message, "has 4 soft tokens but 6");
    }

    [TestMethod]
    public void Create_MissingModeSettings_Throw()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() =>
            PromptInitializer.Create(s_roberta, 4, new PromptInitializerOptions { Mode = PromptInitialization.FromText, Text = "x" }));
        Assert.ThrowsExactly<ArgumentException>(() =>
            PromptInitializer.Create(s_roberta, 4, new PromptInitializerOptions { Mode = PromptInitialization.FromText }, SharedTokenizers.Roberta));
        Assert.ThrowsExactly<ArgumentException>(() =>
            PromptInitializer.Create(s_roberta, 4, new PromptInitializerOptions { Mode = PromptInitialization.FromPrompt }));
        Assert.ThrowsExactly<ArgumentException>(() =>
            PromptInitializer.Create(s_roberta, 4, new PromptInitializerOptions { Mode = PromptInitialization.RandomNormal, NormalStd = -1 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PromptInitializer.Create(s_roberta, 0));
    }
}
