using Microsoft.ML.PromptTuning.Backbones;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Backbones;

/// <summary>RoBERTa and BERT masked LMs against the reference outputs of ../shared/fixtures, from both weight formats.</summary>
[TestClass]
public sealed class MaskedLanguageModelParityTests
{
    [TestMethod]
    [DataRow("roberta-tiny", "model.safetensors")]
    [DataRow("roberta-tiny", "pytorch_model.bin")]
    [DataRow("bert-tiny-random", "model.safetensors")]
    [DataRow("bert-tiny-random", "pytorch_model.bin")]
    public void Forward_FixtureInputs_MatchesReference(string fixture, string weightsFile)
    {
        using var scope = NewDisposeScope();
        using var model = (MaskedLanguageModel)FixtureModels.Load(fixture, weightsFile);
        var expected = FixtureModels.Expected(fixture);
        var ids = expected["input_ids"];
        var mask = expected["attention_mask"];
        var maskPositions = expected["mask_positions"].unsqueeze(1);
        using var noGrad = no_grad();

        FixtureModels.AssertClose(expected["last_hidden_state"], model.EncodeTokens(ids, mask), "last_hidden_state");

        using var recorder = new FfnActivationRecorder(maskPositions);
        var atMask = model.EncodeTokens(ids, mask, maskPositions, recorder);
        FixtureModels.AssertClose(expected["mask_logits"], model.PredictTokens(atMask).squeeze(1), "mask_logits");
        FixtureModels.AssertClose(expected["ffn_activations_at_mask"], recorder.Stack().squeeze(2), "ffn_activations_at_mask");
    }

    [TestMethod]
    [DataRow("roberta-tiny", "model.safetensors")]
    [DataRow("roberta-tiny", "pytorch_model.bin")]
    [DataRow("bert-tiny-random", "model.safetensors")]
    [DataRow("bert-tiny-random", "pytorch_model.bin")]
    public void SoftPromptPath_FixtureInputs_MatchesReferenceLogitsLossAndGradient(string fixture, string weightsFile)
    {
        using var scope = NewDisposeScope();
        using var model = (MaskedLanguageModel)FixtureModels.Load(fixture, weightsFile);
        var expected = FixtureModels.Expected(fixture);
        var ids = expected["input_ids"];
        long batch = ids.shape[0];
        var prompt = expected["prompt"].clone().requires_grad_(true);
        long promptLength = prompt.shape[0];

        var embeds = cat(new[] { prompt.unsqueeze(0).expand(batch, -1, -1), model.EmbedTokens(ids) }, 1);
        var mask = cat(new[] { ones(batch, promptLength), expected["attention_mask"] }, 1);
        var positions = (expected["mask_positions"] + promptLength).unsqueeze(1);
        var logits = model.PredictAt(embeds, mask, positions).squeeze(1);
        var loss = nn.functional.cross_entropy(logits, expected["prompt_targets"], reduction: nn.Reduction.Sum);
        loss.backward();

        FixtureModels.AssertClose(expected["prompt_mask_logits"], logits.detach(), "prompt_mask_logits");
        FixtureModels.AssertClose(expected["prompt_loss"], loss.detach().reshape(1), "prompt_loss");
        FixtureModels.AssertClose(expected["prompt_grad"], prompt.grad!, "prompt_grad");
        Assert.IsTrue(model.parameters().All(p => p.grad is null), "the frozen backbone must not accumulate gradients");
    }

    [TestMethod]
    public void PredictAt_LastLayerOnlyAtMask_EqualsFullSequenceLogits()
    {
        using var scope = NewDisposeScope();
        using var model = (MaskedLanguageModel)FixtureModels.Load("roberta-tiny", "model.safetensors");
        var expected = FixtureModels.Expected("roberta-tiny");
        using var noGrad = no_grad();
        var embeds = model.EmbedTokens(expected["input_ids"]);
        var positions = expected["mask_positions"].unsqueeze(1);
        var full = model.PredictTokens(model.Encode(embeds, expected["attention_mask"]));
        var gathered = full.gather(1, positions.unsqueeze(-1).expand(-1, -1, full.shape[2]));
        FixtureModels.AssertClose(gathered, model.PredictAt(embeds, expected["attention_mask"], positions), "logits at the mask", 1e-5);
    }
}
