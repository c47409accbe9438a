using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.Backbones;
using Microsoft.ML.PromptTuning.Tests.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Prompts;

[TestClass]
public sealed class PromptBatchTests
{
    private static MaskedLanguageModel s_roberta = null!;

    [ClassInitialize]
    public static void LoadModel(TestContext _) => s_roberta = (MaskedLanguageModel)FixtureModels.Load("roberta-tiny", "model.safetensors");

    [ClassCleanup]
    public static void DisposeModel() => s_roberta.Dispose();

    [TestMethod]
    public void Collate_RowsOfDifferentLengths_PadsToLongestRowOnly()
    {
        var encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(2), SharedTokenizers.Roberta, 512);
        EncodedPrompt shortRow = encoder.Encode("great");
        EncodedPrompt longRow = encoder.Encode("Hello world", "great");

        using PromptBatch batch = PromptBatch.Collate([shortRow, longRow], SharedTokenizers.Roberta.Special.PadId);

        Assert.AreEqual(2, batch.BatchSize);
        Assert.AreEqual(longRow.Length, batch.SequenceLength);
        CollectionAssert.AreEqual(new long[] { 1, 1, 0, 50264, 372, 2, 1, 1 }, batch.InputIds[0].data<long>().ToArray());
        CollectionAssert.AreEqual(longRow.InputIds.Select(i => (long)i).ToArray(), batch.InputIds[1].data<long>().ToArray());
        CollectionAssert.AreEqual(new float[] { 1, 1, 1, 1, 1, 1, 0, 0 }, batch.AttentionMask[0].data<float>().ToArray());
        CollectionAssert.AreEqual(Enumerable.Repeat(1f, 8).ToArray(), batch.AttentionMask[1].data<float>().ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 1, -1, -1, -1, -1, -1, -1 }, batch.SoftIndex[0].data<long>().ToArray());
        CollectionAssert.AreEqual(new long[] { 3, 3 }, batch.MaskPositions!.data<long>().ToArray());
        Assert.AreEqual(ScalarType.Float32, batch.AttentionMask.dtype);
        Assert.AreEqual(ScalarType.Int64, batch.InputIds.dtype);
    }

    [TestMethod]
    public void Collate_Seq2SeqRows_HaveNoMaskPositions()
    {
        var encoder = new PromptEncoder(PromptTemplate.Seq2SeqDefault(2), SharedTokenizers.T5, 512);

        using PromptBatch batch = PromptBatch.Collate([encoder.Encode("Hello world")], SharedTokenizers.T5.Special.PadId);

        Assert.IsNull(batch.MaskPositions);
        CollectionAssert.AreEqual(new long[] { 0, 0, 8774, 296, 1 }, batch.InputIds[0].data<long>().ToArray());
    }

    [TestMethod]
    public void Collate_RowsFromDifferentTemplates_Throws()
    {
        EncodedPrompt a = new PromptEncoder(PromptTemplate.MaskedLmDefault(2), SharedTokenizers.Roberta, 512).Encode("great");
        EncodedPrompt b = new PromptEncoder(PromptTemplate.MaskedLmDefault(3), SharedTokenizers.Roberta, 512).Encode("great");

        var error = Assert.ThrowsExactly<ArgumentException>(() => PromptBatch.Collate([a, b], 1));
        StringAssert.Contains(error.Message, "different templates");
        Assert.ThrowsExactly<ArgumentException>(() => PromptBatch.Collate([], 1));
    }

    [TestMethod]
    public void EmbedInputs_SoftSlots_HoldPromptRowsAndOtherPositionsWordEmbeddings()
    {
        using var scope = NewDisposeScope();
        var encoder = new PromptEncoder(PromptTemplate.Parse("{soft:2}{mask}{text_a}{soft}"), SharedTokenizers.Roberta, 512);
        using PromptBatch batch = PromptBatch.Collate([encoder.Encode("great"), encoder.Encode("Hello world")], 1);
        Tensor prompt = randn(3, s_roberta.HiddenSize);

        Tensor embeds = batch.EmbedInputs(s_roberta, prompt);
        Tensor words = s_roberta.EmbedTokens(batch.InputIds);

        CollectionAssert.AreEqual(new long[] { 2, batch.SequenceLength, s_roberta.HiddenSize }, embeds.shape);
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < batch.SequenceLength; t++)
            {
                long slot = batch.SoftIndex[b, t].item<long>();
                Tensor expected = slot >= 0 ? prompt[slot] : words[b, t];
                Assert.IsTrue(PromptTensors.Same(embeds[b, t], expected), $"row {b}, position {t} (slot {slot})");
            }
        // Row 0 is "<s> <mask> great {soft} </s>": the third prompt row sits after the text, before </s>.
        Assert.IsTrue(PromptTensors.Same(embeds[0, 5], prompt[2]));
    }

    [TestMethod]
    public void EmbedInputs_HardPromptTemplate_IsTheWordEmbeddings()
    {
        using var scope = NewDisposeScope();
        var encoder = new PromptEncoder(PromptTemplate.Parse("Review: {text_a} It was {mask}."), SharedTokenizers.Roberta, 512);
        using PromptBatch batch = PromptBatch.Collate([encoder.Encode("great"), encoder.Encode("Hello world")], 1);

        Tensor embeds = batch.EmbedInputs(s_roberta, zeros(0, s_roberta.HiddenSize));

        Assert.AreEqual(0, batch.SoftTokenCount);
        Assert.IsTrue(PromptTensors.Same(embeds, s_roberta.EmbedTokens(batch.InputIds)));
    }

    [TestMethod]
    public void EmbedInputs_LinearLoss_GradientIsSumOverSlotsAndReachesOnlyThePrompt()
    {
        using var scope = NewDisposeScope();
        var encoder = new PromptEncoder(PromptTemplate.Parse("{soft:2}{mask}{text_a}{soft}"), SharedTokenizers.Roberta, 512);
        using PromptBatch batch = PromptBatch.Collate([encoder.Encode("great"), encoder.Encode("Hello world")], 1);
        Tensor prompt = randn(3, s_roberta.HiddenSize).requires_grad_(true);
        Tensor weights = randn(2, batch.SequenceLength, s_roberta.HiddenSize);

        (batch.EmbedInputs(s_roberta, prompt) * weights).sum().backward();

        // d loss / d prompt[k] = Σ over the slots (b, t) that row k fills of weights[b, t].
        Tensor expected = zeros(3, s_roberta.HiddenSize);
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < batch.SequenceLength; t++)
                if (batch.SoftIndex[b, t].item<long>() is long slot and >= 0)
                    expected[slot] += weights[b, t];
        Assert.IsNotNull(prompt.grad);
        Assert.IsTrue(prompt.grad.abs().sum().item<float>() > 0);
        FixtureModels.AssertClose(expected, prompt.grad, "prompt.grad", 1e-6);
        Assert.IsTrue(s_roberta.parameters().All(p => p.grad is null), "the frozen backbone gets no gradient");
    }

    [TestMethod]
    public void EmbedInputs_PromptOfWrongShape_ThrowsNamingBothShapes()
    {
        var encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(2), SharedTokenizers.Roberta, 512);
        using PromptBatch batch = PromptBatch.Collate([encoder.Encode("great")], 1);
        using Tensor tooMany = zeros(3, s_roberta.HiddenSize);
        using Tensor tooNarrow = zeros(2, 16);

        var error = Assert.ThrowsExactly<ArgumentException>(() => batch.EmbedInputs(s_roberta, tooMany));
        StringAssert.Contains(error.Message, "[3, 32]");
        StringAssert.Contains(error.Message, "[2, 32]");
        Assert.ThrowsExactly<ArgumentException>(() => batch.EmbedInputs(s_roberta, tooNarrow));
    }

    [TestMethod]
    [DataRow("roberta-tiny")]
    [DataRow("bert-tiny-random")]
    public void EmbedInputs_FixtureSoftPromptPath_MatchesReferenceLogitsAndGradient(string fixture)
    {
        using var scope = NewDisposeScope();
        using var model = (MaskedLanguageModel)FixtureModels.Load(fixture, "model.safetensors");
        Dictionary<string, Tensor> expected = FixtureModels.Expected(fixture);
        Tensor prompt = expected["prompt"].clone().requires_grad_(true);
        int promptLength = (int)prompt.shape[0];
        using PromptBatch batch = PromptBatch.Collate(FixtureRows(expected, promptLength), model.Config.PadTokenId);

        Tensor logits = model.PredictAt(batch.EmbedInputs(model, prompt), batch.AttentionMask, batch.MaskPositions!.unsqueeze(1)).squeeze(1);
        Tensor loss = nn.functional.cross_entropy(logits, expected["prompt_targets"], reduction: nn.Reduction.Sum);
        loss.backward();

        FixtureModels.AssertClose(expected["prompt_mask_logits"], logits.detach(), "prompt_mask_logits");
        FixtureModels.AssertClose(expected["prompt_grad"], prompt.grad!, "prompt_grad");
    }

    [TestMethod]
    public void EmbedInputs_T5FixtureSoftPromptPath_MatchesReferenceFirstStepLogits()
    {
        using var scope = NewDisposeScope();
        using var model = (T5ForConditionalGeneration)FixtureModels.Load("t5-tiny-random", "model.safetensors");
        Dictionary<string, Tensor> expected = FixtureModels.Expected("t5-tiny-random");
        Tensor prompt = expected["prompt"];
        using PromptBatch batch = PromptBatch.Collate(FixtureRows(expected, (int)prompt.shape[0]), model.Config.PadTokenId);
        using var noGrad = no_grad();

        Tensor logits = model.FirstStepLogits(batch.EmbedInputs(model, prompt), batch.AttentionMask);

        FixtureModels.AssertClose(expected["prompt_first_step_logits"], logits, "prompt_first_step_logits");
    }

    /// <summary>The fixture's rows with <paramref name="promptLength"/> soft slots prepended, as the reference builds them.</summary>
    private static List<EncodedPrompt> FixtureRows(Dictionary<string, Tensor> expected, int promptLength)
    {
        long[,] ids = To2D(expected["input_ids"]);
        Tensor lengths = expected["attention_mask"].to(ScalarType.Int64).sum(1);
        bool hasMask = expected.ContainsKey("mask_positions");
        var rows = new List<EncodedPrompt>();
        for (int b = 0; b < ids.GetLength(0); b++)
        {
            int length = (int)lengths[b].item<long>();
            int[] rowIds = Enumerable.Repeat(0, promptLength).Concat(Enumerable.Range(0, length).Select(t => (int)ids[b, t])).ToArray();
            int[] softIndex = Enumerable.Range(0, promptLength).Concat(Enumerable.Repeat(-1, length)).ToArray();
            int mask = hasMask ? promptLength + (int)expected["mask_positions"].to(ScalarType.Int64)[b].item<long>() : -1;
            rows.Add(new EncodedPrompt(rowIds, softIndex, mask, promptLength, 0));
        }
        return rows;
    }

    private static long[,] To2D(Tensor t)
    {
        long[] flat = t.to(ScalarType.Int64).data<long>().ToArray();
        var result = new long[t.shape[0], t.shape[1]];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(long));
        return result;
    }
}
