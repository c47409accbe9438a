using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.Backbones;
using Microsoft.ML.PromptTuning.Tokenization;
using Microsoft.ML.PromptTuning.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Training;

/// <summary>Prompt training on the roberta-tiny fixture: learning, validation and best-prompt keeping, resume, cancellation, NaN.</summary>
[TestClass]
public sealed class SoftPromptTrainerTests
{
    private static readonly ModelTokenizer Tokenizer = ModelTokenizer.FromDirectory(SharedData.Tokenizer("roberta-base"));
    private static readonly SoftPromptTrainerOptions Fast = new() { LearningRate = 0.05, BatchSize = 4, MaxSteps = 12, EvaluateEverySteps = 4 };

    [TestMethod]
    public void Train_AllPositiveRows_LossFallsAndValidationAccuracyIsPerfect()
    {
        using var model = FixtureModels.Load("roberta-tiny", "model.safetensors");
        var classifier = Classifier(model);
        using var initial = PromptInitializer.Create(model, classifier.PromptLength);

        using var result = new SoftPromptTrainer(classifier, Fast).Train(initial, Rows(16, label: 1), Rows(4, label: 1));

        Assert.AreEqual(12, result.Steps);
        Assert.AreEqual(3, result.LearningCurve.Count);
        Assert.IsTrue(result.LearningCurve[^1].TrainingLoss < result.LearningCurve[0].TrainingLoss * 0.5,
            $"loss {result.LearningCurve[0].TrainingLoss:F4} -> {result.LearningCurve[^1].TrainingLoss:F4}");
        Assert.AreEqual(1.0, result.BestValidationMetric);
        CollectionAssert.AreEqual(new long[] { classifier.PromptLength, model.HiddenSize }, result.Prompt.shape);
        Assert.IsTrue(model.parameters().All(p => p.grad is null), "the backbone stays frozen");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Train_CancelledThenResumedFromCheckpoint_EqualsUninterruptedRun()
    {
        using var model = FixtureModels.Load("roberta-tiny", "model.safetensors");
        var classifier = Classifier(model);
        using var initial = PromptInitializer.Create(model, classifier.PromptLength);
        var rows = Rows(8, 1).Concat(Rows(8, 0)).ToList();
        string folder = Directory.CreateTempSubdirectory("prompt-checkpoint-").FullName;
        try
        {
            var options = Fast with { CheckpointDirectory = folder, CheckpointEverySteps = 3 };
            using var uninterrupted = new SoftPromptTrainer(classifier, Fast).Train(initial, rows, Rows(4, 1));
            using var cancel = new CancellationTokenSource();
            var stopAtFive = new ActionProgress<SoftPromptTrainingProgress>(p => { if (p.Step == 5) cancel.Cancel(); });
            Assert.ThrowsExactly<OperationCanceledException>(() => new SoftPromptTrainer(classifier, options).Train(initial, rows, Rows(4, 1), stopAtFive, cancel.Token));

            using var resumed = new SoftPromptTrainer(classifier, options).Train(initial, rows, Rows(4, 1));

            Assert.AreEqual(12, resumed.Steps);
            Assert.IsTrue(uninterrupted.Prompt.allclose(resumed.Prompt, rtol: 0, atol: 1e-6), "resumed prompt differs");
            CollectionAssert.AreEqual(uninterrupted.LearningCurve.Select(p => p.TrainingLoss).ToArray(), resumed.LearningCurve.Select(p => p.TrainingLoss).ToArray());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Train_PausedAtStopAtStepThenContinued_EqualsUninterruptedRun()
    {
        using var model = FixtureModels.Load("roberta-tiny", "model.safetensors");
        var classifier = Classifier(model);
        using var initial = PromptInitializer.Create(model, classifier.PromptLength);
        var rows = Rows(8, 1).Concat(Rows(8, 0)).ToList();
        string folder = Directory.CreateTempSubdirectory("prompt-pause-").FullName;
        try
        {
            var options = Fast with { CheckpointDirectory = folder };
            using var uninterrupted = new SoftPromptTrainer(classifier, Fast).Train(initial, rows, Rows(4, 1));

            using var paused = new SoftPromptTrainer(classifier, options with { StopAtStep = 8 }).Train(initial, rows, Rows(4, 1));
            using var continued = new SoftPromptTrainer(classifier, options).Train(initial, rows, Rows(4, 1));

            Assert.AreEqual(8, paused.Steps);
            CollectionAssert.AreEqual(uninterrupted.LearningCurve.Take(2).Select(p => (p.Step, p.TrainingLoss, p.ValidationMetric)).ToArray(),
                paused.LearningCurve.Select(p => (p.Step, p.TrainingLoss, p.ValidationMetric)).ToArray());
            Assert.AreEqual(12, continued.Steps);
            Assert.IsTrue(uninterrupted.Prompt.allclose(continued.Prompt, rtol: 0, atol: 1e-6), "continued prompt differs");
            CollectionAssert.AreEqual(uninterrupted.LearningCurve.Select(p => p.TrainingLoss).ToArray(), continued.LearningCurve.Select(p => p.TrainingLoss).ToArray());
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => (Fast with { StopAtStep = 5 }).Validate()).Message, "multiple of EvaluateEverySteps");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Train_ExplodingLearningRate_StopsWithNonFiniteLossKeepingAFinitePrompt()
    {
        using var model = FixtureModels.Load("roberta-tiny", "model.safetensors");
        var classifier = Classifier(model);
        using var initial = PromptInitializer.Create(model, classifier.PromptLength);
        var options = Fast with { LearningRate = 1e30 };

        var error = Assert.ThrowsExactly<NonFiniteLossException>(() => new SoftPromptTrainer(classifier, options).Train(initial, Rows(8, 1)));

        using var lastGood = error.LastGoodPrompt;
        Assert.IsTrue(error.Step >= 1);
        Assert.IsTrue(lastGood.isfinite().all().item<bool>());
        StringAssert.Contains(error.Message, "last finite prompt");
    }

    [TestMethod]
    [DataRow(3, 32, "soft tokens")]
    [DataRow(4, 16, "hidden size")]
    public void Train_PromptOfWrongShape_ThrowsNamingTheMismatch(int rows, int width, string expected)
    {
        using var model = FixtureModels.Load("roberta-tiny", "model.safetensors");
        using var prompt = zeros(rows, width);
        var error = Assert.ThrowsExactly<ArgumentException>(() => new SoftPromptTrainer(Classifier(model), Fast).Train(prompt, Rows(4, 1)));
        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Train_EmptyTextAndUnknownLabel_ThrowNamingTheRow()
    {
        using var model = FixtureModels.Load("roberta-tiny", "model.safetensors");
        var classifier = Classifier(model);
        using var initial = PromptInitializer.Create(model, classifier.PromptLength);
        var empty = new List<PromptExample> { Row("fine", 1), Row("  ", 0) };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SoftPromptTrainer(classifier, Fast).Train(initial, empty)).Message, "row 1");
        var unknown = new List<PromptExample> { Row("fine", 7) };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SoftPromptTrainer(classifier, Fast).Train(initial, unknown)).Message, "label index 7");
        Assert.ThrowsExactly<ArgumentException>(() => new SoftPromptTrainer(classifier, Fast).Train(initial, new List<PromptExample>()));
    }

    private static PromptClassifier Classifier(LanguageModel model)
    {
        var template = PromptTemplate.Parse("{soft:4}{mask}{text_a}");
        return new PromptClassifier(model, new PromptEncoder(template, Tokenizer, model.MaxSequenceLength),
            new Verbalizer(LabelWords.SentimentBinary(), Tokenizer));
    }

    private static PromptExample Row(string text, int label) => new(new Dictionary<string, string?> { ["text_a"] = text }, label);

    private static List<PromptExample> Rows(int count, int label) =>
        Enumerable.Range(0, count).Select(i => Row($"review number {i} of a film that {(label == 1 ? "shines" : "drags")}{new string('!', i % 3)}", label)).ToList();
}
