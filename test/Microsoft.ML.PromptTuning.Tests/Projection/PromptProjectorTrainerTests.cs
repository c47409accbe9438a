using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Projection;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.Backbones;
using Microsoft.ML.PromptTuning.Tokenization;
using Microsoft.ML.PromptTuning.Tests.Training;
using Microsoft.ML.PromptTuning.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Projection;

/// <summary>Projector training: Distance Minimizing on prompt pairs, Task Tuning on the roberta-tiny fixture, resume and bad inputs.</summary>
[TestClass]
public sealed class PromptProjectorTrainerTests
{
    private static readonly ModelTokenizer Tokenizer = ModelTokenizer.FromDirectory(SharedData.Tokenizer("roberta-base"));
    private static readonly BackboneInfo T5 = PromptProjectorTests.T5;
    private static readonly BackboneInfo Roberta = PromptProjectorTests.Roberta;

    [TestMethod]
    [DataRow(PromptDistance.MeanSquaredError, 1e-3)]
    [DataRow(PromptDistance.Cosine, 1e-3)]
    public void DistanceMinimizing_SinglePair_ReachesNearZeroLoss(PromptDistance distance, double limit)
    {
        using var pair = Pair(seed: 1);
        var options = DistanceOptions(distance, steps: 300);

        using var result = new PromptProjectorTrainer(options).TrainDistanceMinimizing([pair.Value]);

        Assert.AreEqual(300, result.Steps);
        Assert.IsTrue(result.LearningCurve[^1].TrainingLoss < limit, $"loss {result.LearningCurve[0].TrainingLoss:E2} -> {result.LearningCurve[^1].TrainingLoss:E2}");
        using var projected = result.Projector.forward(pair.Value.Source.Embeddings);
        double mse = (projected - pair.Value.Target.Embeddings).pow(2).mean().item<float>();
        if (distance == PromptDistance.MeanSquaredError)
            Assert.IsTrue(mse < limit, $"projection MSE {mse:E2}");
        Assert.AreEqual(T5, result.Projector.Config.Target);
    }

    [TestMethod]
    public void DistanceMinimizing_CancelledThenResumed_EqualsUninterruptedRun()
    {
        using var pair = Pair(seed: 2);
        string folder = Directory.CreateTempSubdirectory("projector-checkpoint-").FullName;
        try
        {
            var plain = DistanceOptions(PromptDistance.MeanSquaredError, steps: 12);
            var checkpointed = plain with { Training = plain.Training with { CheckpointDirectory = folder, CheckpointEverySteps = 4 } };
            using var uninterrupted = new PromptProjectorTrainer(plain).TrainDistanceMinimizing([pair.Value]);
            using var cancel = new CancellationTokenSource();
            var stopAtSix = new ActionProgress<SoftPromptTrainingProgress>(p => { if (p.Step == 6) cancel.Cancel(); });
            Assert.ThrowsExactly<OperationCanceledException>(() => new PromptProjectorTrainer(checkpointed).TrainDistanceMinimizing([pair.Value], null, stopAtSix, cancel.Token));

            using var resumed = new PromptProjectorTrainer(checkpointed).TrainDistanceMinimizing([pair.Value]);

            Assert.AreEqual(12, resumed.Steps);
            Assert.IsTrue(uninterrupted.Projector.fc2.weight.allclose(resumed.Projector.fc2.weight, rtol: 0, atol: 1e-6), "resumed projector differs");
            CollectionAssert.AreEqual(uninterrupted.LearningCurve.Select(p => p.TrainingLoss).ToArray(), resumed.LearningCurve.Select(p => p.TrainingLoss).ToArray());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void DistanceMinimizing_EmptyOrMismatchedPairs_ThrowNamingTheProblem()
    {
        var trainer = new PromptProjectorTrainer(DistanceOptions(PromptDistance.MeanSquaredError, steps: 2));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => trainer.TrainDistanceMinimizing([])).Message, "empty");
        using var pair = Pair(seed: 3);
        using var otherSource = new SoftPrompt(randn(4, 32), new BackboneInfo("bert-tiny", "bert", 32));
        using var wideTarget = new SoftPrompt(randn(4, 24), T5 with { HiddenSize = 24 });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => trainer.TrainDistanceMinimizing([pair.Value, new PromptPair(otherSource, pair.Value.Target)])).Message, "bert");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => trainer.TrainDistanceMinimizing([pair.Value, new PromptPair(pair.Value.Source, wideTarget)])).Message, "width 16");
        using var longer = new SoftPrompt(randn(6, 16), T5);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => trainer.TrainDistanceMinimizing([new PromptPair(pair.Value.Source, longer)])).Message, "AllowLengthChange");
    }

    [TestMethod]
    public void TaskTuning_FixtureTarget_LowersTheTargetLossAndKeepsTheBackboneFrozen()
    {
        using var model = FixtureModels.Load("roberta-tiny", "model.safetensors");
        using var source = new SoftPrompt(randn(4, 16, generator: new Generator(5)), T5);
        var task = new ProjectionTask(source, Classifier(model), Rows(16, 1), Rows(4, 1));
        var options = new PromptProjectorTrainerOptions
        {
            HiddenSize = 32,
            Training = new SoftPromptTrainerOptions { LearningRate = 5e-3, BatchSize = 4, MaxSteps = 12, EvaluateEverySteps = 4, LinearDecay = false },
        };

        using var result = new PromptProjectorTrainer(options).TrainTaskTuning([task], "roberta-tiny");

        Assert.AreEqual(3, result.LearningCurve.Count);
        Assert.IsTrue(result.LearningCurve[^1].TrainingLoss < result.LearningCurve[0].TrainingLoss * 0.5,
            $"target loss {result.LearningCurve[0].TrainingLoss:F4} -> {result.LearningCurve[^1].TrainingLoss:F4}");
        Assert.AreEqual(1.0, result.BestValidationMetric);
        Assert.AreEqual("roberta", result.Projector.Config.Target.ModelType);
        Assert.IsTrue(model.parameters().All(p => p.grad is null), "the target backbone stays frozen");
    }

    [TestMethod]
    public void TaskTuning_BadTasks_ThrowNamingTheProblem()
    {
        using var model = FixtureModels.Load("roberta-tiny", "model.safetensors");
        var trainer = new PromptProjectorTrainer(new PromptProjectorTrainerOptions { HiddenSize = 8, Training = new SoftPromptTrainerOptions { MaxSteps = 2 } });
        using var source = new SoftPrompt(randn(4, 16), T5);
        using var otherSource = new SoftPrompt(randn(4, 16), new BackboneInfo("other", "bert", 16));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => trainer.TrainTaskTuning([], "x")).Message, "empty");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => trainer.TrainTaskTuning([new ProjectionTask(source, Classifier(model), [])], "x")).Message, "empty");
        var mixed = new[] { new ProjectionTask(source, Classifier(model), Rows(2, 1)), new ProjectionTask(otherSource, Classifier(model), Rows(2, 1)) };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => trainer.TrainTaskTuning(mixed, "x")).Message, "bert");
        using var longer = new SoftPrompt(randn(5, 16), T5);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => trainer.TrainTaskTuning([new ProjectionTask(longer, Classifier(model), Rows(2, 1))], "x")).Message, "AllowLengthChange");
    }

    /// <summary>A roberta-shaped source prompt and a t5-shaped target prompt, both random.</summary>
    private static DisposablePair Pair(int seed)
    {
        var generator = new Generator((ulong)seed);
        return new DisposablePair(new PromptPair(new SoftPrompt(randn(4, 32, generator: generator), Roberta), new SoftPrompt(randn(4, 16, generator: generator) * 0.5, T5)));
    }

    private static PromptProjectorTrainerOptions DistanceOptions(PromptDistance distance, int steps) => new()
    {
        HiddenSize = 64,
        Distance = distance,
        Training = new SoftPromptTrainerOptions { LearningRate = 1e-2, MaxSteps = steps, EvaluateEverySteps = 4, LinearDecay = false },
    };

    private static PromptClassifier Classifier(LanguageModel model) =>
        new(model, new PromptEncoder(PromptTemplate.Parse("{soft:4}{mask}{text_a}"), Tokenizer, model.MaxSequenceLength), new Verbalizer(LabelWords.SentimentBinary(), Tokenizer));

    private static List<PromptExample> Rows(int count, int label) => Enumerable.Range(0, count)
        .Select(i => new PromptExample(new Dictionary<string, string?> { ["text_a"] = $"review number {i} of a film that {(label == 1 ? "shines" : "drags")}" }, label)).ToList();

    private sealed class DisposablePair(PromptPair value) : IDisposable
    {
        public PromptPair Value { get; } = value;

        public void Dispose()
        {
            Value.Source.Dispose();
            Value.Target.Dispose();
        }
    }
}
