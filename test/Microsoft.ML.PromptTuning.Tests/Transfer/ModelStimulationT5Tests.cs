using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Tokenization;
using Microsoft.ML.PromptTuning.Transfer.Indicators;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Transfer;

/// <summary>ON on T5: the decoder's FFN input projection at the first step, for the prompt followed by <c>&lt;/s&gt;</c>.</summary>
[TestClass]
[DoNotParallelize]
public sealed class ModelStimulationT5Tests
{
    [TestMethod]
    public void ActivatedNeurons_T5_AreTheBinarisedDecoderProjectionsAtStepZero()
    {
        var tokenizer = ModelTokenizer.FromDirectory(SharedData.Tokenizer("t5"));
        using var model = (T5ForConditionalGeneration)PretrainingPipeline.CreateModel(new T5Config
        {
            NumLayers = 1, NumDecoderLayers = 2, DModel = 16, DKv = 4, NumHeads = 4, DFf = 32, FeedForwardProj = "gated-gelu", TieWordEmbeddings = false,
        }, tokenizer);
        WeightInitializer.Initialize(model, seed: 5);
        model.Freeze();
        using var generator = new Generator(7);
        using var prompt = randn([3, 16], generator: generator);
        using var neurons = ModelStimulation.ActivatedNeurons(model, tokenizer, prompt);
        CollectionAssert.AreEqual(new long[] { 2, 32 }, neurons.shape, "[decoder layers, d_ff]");

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var embeds = cat([prompt.unsqueeze(0), model.EmbedTokens(tensor(new long[] { tokenizer.Special.EosId }, [1, 1]))], 1);
        using var recorder = new FfnActivationRecorder(zeros([1, 1], ScalarType.Int64));
        model.FirstStepLogits(embeds, ones(1, 4), recorder);
        var expected = recorder.Stack()[0, .., 0, ..].gt(0).to(ScalarType.Float32);
        Assert.IsTrue(expected.eq(neurons).all().item<bool>());
        Assert.IsTrue(neurons.sum().item<float>() > 0 && neurons.sum().item<float>() < neurons.numel(), "some, not all, neurons fire");
    }
}
