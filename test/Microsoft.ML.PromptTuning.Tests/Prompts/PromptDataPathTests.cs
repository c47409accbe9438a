using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.Backbones;
using Microsoft.ML.PromptTuning.Tests.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Prompts;

/// <summary>The whole path the trainer follows: texts → template → ids → embeddings with the prompt → backbone → verbalizer.</summary>
[TestClass]
public sealed class PromptDataPathTests
{
    [TestMethod]
    public void MaskedLm_TrainingStep_LossGradientReachesOnlyThePrompt()
    {
        using var scope = NewDisposeScope();
        using var model = (MaskedLanguageModel)FixtureModels.Load("roberta-tiny", "model.safetensors");
        var encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(4), SharedTokenizers.Roberta, model.MaxSequenceLength);
        var verbalizer = new Verbalizer(LabelWords.SentimentBinary(), SharedTokenizers.Roberta);
        Tensor prompt = PromptInitializer.Create(model, 4, tokenizer: SharedTokenizers.Roberta).requires_grad_(true);
        using PromptBatch batch = PromptBatch.Collate(
            [encoder.Encode("A gripping, moving film."), encoder.Encode("It was a waste of two hours", "Avoid it.")], model.Config.PadTokenId);

        Tensor logits = model.PredictAt(batch.EmbedInputs(model, prompt), batch.AttentionMask, batch.MaskPositions!.unsqueeze(1)).squeeze(1);
        Tensor scores = verbalizer.Scores(logits);
        Tensor loss = nn.functional.cross_entropy(scores, verbalizer.LabelIndices(["1", "0"]));
        loss.backward();

        CollectionAssert.AreEqual(new long[] { 2, 2 }, scores.shape);
        Assert.IsTrue(float.IsFinite(loss.item<float>()));
        Assert.IsTrue(prompt.grad!.abs().sum().item<float>() > 0, "the prompt receives a gradient");
        Assert.IsTrue(model.parameters().All(p => p.grad is null), "the frozen backbone receives none");
    }

    [TestMethod]
    public void Seq2Seq_FirstStepScores_GiveOneScorePerLabelAndRow()
    {
        using var scope = NewDisposeScope();
        using var model = (T5ForConditionalGeneration)FixtureModels.Load("t5-tiny-random", "model.safetensors");
        var encoder = new PromptEncoder(PromptTemplate.Seq2SeqDefault(3), SharedTokenizers.T5, model.MaxSequenceLength);
        var verbalizer = new Verbalizer(LabelWords.Of(("bad", ["no"]), ("good", ["good"])), SharedTokenizers.T5);
        EncodedPrompt[] rows = [encoder.Encode("it is good"), encoder.Encode("it is not", "it is")];
        Assert.IsTrue(rows.SelectMany(r => r.InputIds).Concat(verbalizer.WordTokenIds.SelectMany(w => w)).All(id => id < model.VocabularySize),
            "the test texts must stay inside the fixture's 1,024-token vocabulary");
        Tensor prompt = PromptInitializer.Create(model, 3, new PromptInitializerOptions { Mode = PromptInitialization.RandomNormal }).requires_grad_(true);
        using PromptBatch batch = PromptBatch.Collate(rows, model.Config.PadTokenId);

        Tensor scores = verbalizer.Scores(model.FirstStepLogits(batch.EmbedInputs(model, prompt), batch.AttentionMask));
        scores.sum().backward();

        CollectionAssert.AreEqual(new long[] { 2, 2 }, scores.shape);
        Assert.IsTrue((scores < 0).all().item<bool>(), "scores are log-probabilities");
        Assert.IsTrue(prompt.grad!.abs().sum().item<float>() > 0);
    }
}
