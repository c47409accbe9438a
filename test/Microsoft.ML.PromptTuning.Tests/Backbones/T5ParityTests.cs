using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Backbones;

/// <summary>T5 v1.0 (relu, tied) and v1.1 (gated-gelu, untied) against the reference outputs, from both weight formats.</summary>
[TestClass]
public sealed class T5ParityTests
{
    [TestMethod]
    [DataRow("t5-tiny-random", "model.safetensors")]
    [DataRow("t5-tiny-random", "pytorch_model.bin")]
    [DataRow("t5-v1_1-tiny-random", "model.safetensors")]
    [DataRow("t5-v1_1-tiny-random", "pytorch_model.bin")]
    public void Forward_FixtureInputs_MatchesReference(string fixture, string weightsFile)
    {
        using var scope = NewDisposeScope();
        using var model = (T5ForConditionalGeneration)FixtureModels.Load(fixture, weightsFile);
        var expected = FixtureModels.Expected(fixture);
        var mask = expected["attention_mask"];
        using var noGrad = no_grad();

        var encoded = model.EncodeTokens(expected["input_ids"], mask);
        FixtureModels.AssertClose(expected["encoder_last_hidden_state"], encoded, "encoder_last_hidden_state");

        using var recorder = new FfnActivationRecorder(zeros(encoded.shape[0], 1, dtype: ScalarType.Int64));
        var decoded = model.Decode(expected["decoder_input_ids"], encoded, mask, recorder);
        FixtureModels.AssertClose(expected["decoder_last_hidden_state"], decoded, "decoder_last_hidden_state");
        FixtureModels.AssertClose(expected["logits"], model.PredictTokens(decoded), "logits");
        FixtureModels.AssertClose(expected["decoder_ffn_pre_activation_step0"], recorder.Stack().squeeze(2), "decoder_ffn_pre_activation_step0");
    }

    [TestMethod]
    [DataRow("t5-tiny-random", "model.safetensors")]
    [DataRow("t5-tiny-random", "pytorch_model.bin")]
    [DataRow("t5-v1_1-tiny-random", "model.safetensors")]
    [DataRow("t5-v1_1-tiny-random", "pytorch_model.bin")]
    public void SoftPromptPath_FixtureInputs_MatchesReferenceLogitsLossAndGradient(string fixture, string weightsFile)
    {
        using var scope = NewDisposeScope();
        using var model = (T5ForConditionalGeneration)FixtureModels.Load(fixture, weightsFile);
        var expected = FixtureModels.Expected(fixture);
        var ids = expected["input_ids"];
        long batch = ids.shape[0];
        var prompt = expected["prompt"].clone().requires_grad_(true);

        var embeds = cat(new[] { prompt.unsqueeze(0).expand(batch, -1, -1), model.EmbedTokens(ids) }, 1);
        var mask = cat(new[] { ones(batch, prompt.shape[0]), expected["attention_mask"] }, 1);
        var logits = model.FirstStepLogits(embeds, mask);
        var loss = nn.functional.cross_entropy(logits, expected["prompt_targets"], reduction: nn.Reduction.Sum);
        loss.backward();

        FixtureModels.AssertClose(expected["prompt_first_step_logits"], logits.detach(), "prompt_first_step_logits");
        FixtureModels.AssertClose(expected["prompt_loss"], loss.detach().reshape(1), "prompt_loss");
        FixtureModels.AssertClose(expected["prompt_grad"], prompt.grad!, "prompt_grad");
    }

    [TestMethod]
    public void Generate_Greedy_FirstTokenIsArgmaxOfFirstStepAndStopsAtEos()
    {
        using var scope = NewDisposeScope();
        using var model = (T5ForConditionalGeneration)FixtureModels.Load("t5-v1_1-tiny-random", "model.safetensors");
        var expected = FixtureModels.Expected("t5-v1_1-tiny-random");
        var embeds = model.EmbedTokens(expected["input_ids"]);
        var mask = expected["attention_mask"];

        var generated = model.Generate(embeds, mask, maxNewTokens: 4);

        using var noGrad = no_grad();
        var firstStep = model.FirstStepLogits(embeds, mask).argmax(-1).data<long>().ToArray();
        Assert.AreEqual(3, generated.Count);
        for (int row = 0; row < 3; row++)
        {
            Assert.IsTrue(generated[row].Length <= 4);
            Assert.IsFalse(generated[row].Contains(model.Config.EosTokenId), "eos ends generation and is not returned");
            if (firstStep[row] != model.Config.EosTokenId)
                Assert.AreEqual(firstStep[row], generated[row][0], $"row {row}");
        }
    }
}
