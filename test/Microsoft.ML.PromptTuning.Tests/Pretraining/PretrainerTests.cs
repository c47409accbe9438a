using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>The pre-training loop on tiny models and a small real-text corpus: learning, checkpoint/resume and cancellation.</summary>
/// <remarks>Dropout draws from TorchSharp's process-wide generator, so these run alone: a parallel test drawing from it would break bit-exact resume.</remarks>
[TestClass]
[DoNotParallelize]
[TestCategory("Pretraining")]
public sealed class PretrainerTests
{
    private static readonly PretrainingOptions Tiny = new()
    {
        SequenceLength = 32, BatchSize = 8, Steps = 24, LearningRate = 3e-3, WarmupSteps = 2, CheckpointEverySteps = 5, EvaluationWindows = 16,
    };

    [TestMethod]
    [DataRow("roberta")]
    [DataRow("t5")]
    public void Run_TinyModel_TrainingAndHeldOutLossDecrease(string architecture)
    {
        using var folder = new TemporaryFolder();
        var (tokenizer, corpus) = BuildCorpus(architecture, folder.Path);
        using var _ = corpus;
        using var model = CreateModel(architecture, tokenizer);
        // The tiny RoBERTa starts with near-zero logits (std 0.02 weights): it needs a larger step to move in 24 steps.
        var options = Tiny with { LearningRate = architecture == "roberta" ? 2e-2 : 3e-3 };
        var result = new Pretrainer(Objective(model, tokenizer), corpus, options).Run(Path.Combine(folder.Path, "checkpoint"));

        double first = result.LossCurve.Take(4).Average(p => p.Loss), last = result.LossCurve.TakeLast(4).Average(p => p.Loss);
        Assert.AreEqual(Tiny.Steps, result.Steps);
        Assert.IsTrue(last < first - 1.0, $"loss should fall by more than 1 nat: {first:F3} -> {last:F3}");
        Assert.IsTrue(double.IsFinite(result.HeldOut.Loss) && result.HeldOut.Targets > 0);
        Assert.IsTrue(result.HeldOut.Loss < first - 0.5, $"held-out loss {result.HeldOut.Loss:F3} should beat the untrained {first:F3}");
        Assert.IsTrue(result.HeldOut.Accuracy is >= 0 and <= 1 && result.HeldOut.UnigramBaselineAccuracy is > 0 and < 1);
    }

    [TestMethod]
    [DataRow("roberta")]
    [DataRow("t5")]
    public void Run_CancelledThenResumed_EqualsUninterruptedRun(string architecture)
    {
        using var folder = new TemporaryFolder();
        var (tokenizer, corpus) = BuildCorpus(architecture, folder.Path);
        using var _ = corpus;
        var options = Tiny with { Steps = 12, CheckpointEverySteps = 4 };

        using var uninterrupted = CreateModel(architecture, tokenizer);
        var full = new Pretrainer(Objective(uninterrupted, tokenizer), corpus, options).Run(Path.Combine(folder.Path, "a"));

        using (var interrupted = CreateModel(architecture, tokenizer))
        using (var cancel = new CancellationTokenSource())
        {
            var progress = new SynchronousProgress<PretrainingProgress>(p => { if (p.Step == 6) cancel.Cancel(); });
            Assert.ThrowsExactly<OperationCanceledException>(() =>
                new Pretrainer(Objective(interrupted, tokenizer), corpus, options).Run(Path.Combine(folder.Path, "b"), progress, cancel.Token));
        }
        using var resumedModel = CreateModel(architecture, tokenizer);
        var resumed = new Pretrainer(Objective(resumedModel, tokenizer), corpus, options).Run(Path.Combine(folder.Path, "b"));

        CollectionAssert.AreEqual(full.LossCurve.Select(p => p.Loss).ToArray(), resumed.LossCurve.Select(p => p.Loss).ToArray());
        Assert.IsTrue(resumed.Resumed);
        Assert.AreEqual(12, resumed.Steps);
        foreach (var ((name, expected), (_, actual)) in uninterrupted.named_parameters().Zip(resumedModel.named_parameters()))
            Assert.IsTrue(expected.allclose(actual, rtol: 0, atol: 1e-6), $"{name} differs after resume by {(expected - actual).abs().max().item<float>():E2}");
    }

    [TestMethod]
    public void Run_CheckpointOfAnotherRun_IsRejected()
    {
        using var folder = new TemporaryFolder();
        var (tokenizer, corpus) = BuildCorpus("roberta", folder.Path);
        using var _ = corpus;
        string checkpoint = Path.Combine(folder.Path, "checkpoint");
        using (var model = CreateModel("roberta", tokenizer))
            new Pretrainer(Objective(model, tokenizer), corpus, Tiny with { Steps = 2 }).Run(checkpoint);
        using var other = CreateModel("roberta", tokenizer);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() =>
            new Pretrainer(Objective(other, tokenizer), corpus, Tiny with { Steps = 3 }).Run(checkpoint));
        StringAssert.Contains(error.Message, "different run");
    }

    [TestMethod]
    public void Run_ResumedUnderAnotherCulture_IsTheSameRun()
    {
        using var folder = new TemporaryFolder();
        var (tokenizer, corpus) = BuildCorpus("roberta", folder.Path);
        using var _ = corpus;
        string checkpoint = Path.Combine(folder.Path, "checkpoint");
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            var options = Tiny with { Steps = 4, CheckpointEverySteps = 2 };
            using (var model = CreateModel("roberta", tokenizer))
            using (var cancel = new CancellationTokenSource())
            {
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("en-US");
                var progress = new SynchronousProgress<PretrainingProgress>(p => { if (p.Step == 2) cancel.Cancel(); });
                Assert.ThrowsExactly<OperationCanceledException>(() => new Pretrainer(Objective(model, tokenizer), corpus, options).Run(checkpoint, progress, cancel.Token));
            }
            using var resumedModel = CreateModel("roberta", tokenizer);
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE"); // "0,003" for the learning rate
            var resumed = new Pretrainer(Objective(resumedModel, tokenizer), corpus, options).Run(checkpoint);
            Assert.IsTrue(resumed.Resumed);
            Assert.AreEqual(4, resumed.Steps);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [TestMethod]
    public void MaskedLm_DrawPickingNothing_PredictsTheFirstOrdinaryToken()
    {
        var tokenizer = ModelTokenizer.FromDirectory(SharedData.Tokenizer("roberta-base"));
        using var model = (MaskedLanguageModel)CreateModel("roberta", tokenizer);
        int eos = tokenizer.Special.EosId;
        // A window that opens with a document's end, as packed corpora do; a tiny probability picks nothing, so the
        // fallback chooses the target: the ordinary token 100, never the </s> before it.
        var objective = new MaskedLmObjective(model, tokenizer.Special, maskProbability: 1e-12);

        var output = objective.Compute([[eos, 100, 101]], seed: 3, baselineTokenId: eos);

        Assert.AreEqual(1, output.Targets);
        Assert.AreEqual(0, output.BaselineCorrect, "the target is not </s>");
        output.Loss.Dispose();
    }

    private static (ModelTokenizer, TokenizedCorpus) BuildCorpus(string architecture, string folder)
    {
        var tokenizer = ModelTokenizer.FromDirectory(SharedData.Tokenizer(architecture == "roberta" ? "roberta-base" : "t5"));
        var source = new CorpusSource(Path.Combine(SharedData.Data("sst2"), "train.tsv"), "sst2", "sentence");
        string sample = Path.Combine(folder, "sample.tsv");
        File.WriteAllLines(sample, File.ReadLines(source.Path).Take(3000));
        var corpus = CorpusBuilder.Build(new[] { new CorpusSource(sample, "sst2", "sentence") }, tokenizer, Path.Combine(folder, "corpus"),
            new CorpusBuildOptions { HeldOutFraction = 0.05, MaxDegreeOfParallelism = 1 });
        return (tokenizer, corpus);
    }

    private static LanguageModel CreateModel(string architecture, ModelTokenizer tokenizer)
    {
        var model = architecture == "roberta"
            ? PretrainingPipeline.CreateModel(new BertConfig { NumHiddenLayers = 2, HiddenSize = 32, NumAttentionHeads = 4, IntermediateSize = 64, MaxPositionEmbeddings = 40 }, tokenizer)
            : PretrainingPipeline.CreateModel(new T5Config { NumLayers = 2, NumDecoderLayers = 2, DModel = 32, DKv = 8, NumHeads = 4, DFf = 64, FeedForwardProj = "gated-gelu", TieWordEmbeddings = false }, tokenizer);
        WeightInitializer.Initialize(model, seed: 5);
        return model;
    }

    private static IPretrainingObjective Objective(LanguageModel model, ModelTokenizer tokenizer) => model switch
    {
        MaskedLanguageModel mlm => new MaskedLmObjective(mlm, tokenizer.Special),
        T5ForConditionalGeneration t5 => new SpanCorruptionObjective(t5, tokenizer),
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };
}
