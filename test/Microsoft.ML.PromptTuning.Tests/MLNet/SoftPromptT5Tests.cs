using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tokenization;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Tests.MLNet;

/// <summary>The same estimator on an encoder-decoder: a tiny random T5 with the real T5 vocabulary, label words read from the decoder.</summary>
/// <remarks>The tiny T5 is initialised from TorchSharp's process-wide generator: run alone so parallel tests cannot change its weights.</remarks>
[TestClass]
[DoNotParallelize]
public sealed class SoftPromptT5Tests
{
    private static string? _backbone;

    [ClassInitialize]
    public static void CreateTinyT5(TestContext _)
    {
        _backbone = Directory.CreateTempSubdirectory("tiny-t5-").FullName;
        var tokenizer = ModelTokenizer.FromDirectory(SharedData.Tokenizer("t5"));
        using var model = PretrainingPipeline.CreateModel(new T5Config
        {
            NumLayers = 1, NumDecoderLayers = 1, DModel = 16, DKv = 4, NumHeads = 4, DFf = 32, FeedForwardProj = "gated-gelu", TieWordEmbeddings = false,
        }, tokenizer);
        WeightInitializer.Initialize(model, seed: 3);
        ModelFolderWriter.Write(model, _backbone, SharedData.Tokenizer("t5"));
    }

    [ClassCleanup]
    public static void Delete()
    {
        if (_backbone is not null)
            Directory.Delete(_backbone, true);
    }

    [TestMethod]
    [DataRow(MultiTokenHandling.First)]
    [DataRow(MultiTokenHandling.Mean)]
    public void FitTransform_T5Backbone_LearnsAConstantLabelAndScoresProbabilities(MultiTokenHandling handling)
    {
        var context = new MLContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(Enumerable.Range(0, 12).Select(i => new Row { Text = $"sentence number {i}", Label = i < 10 ? "yes" : "no" }).ToList());
        var options = new SoftPromptOptions
        {
            Backbone = _backbone!, PromptLength = 3, MultiTokenHandling = handling,
            LabelWords = LabelWords.Of(("no", ["no", "never mind"]), ("yes", ["yes"])),
            Trainer = new SoftPromptTrainerOptions { LearningRate = 0.1, BatchSize = 4, MaxSteps = 15, EvaluateEverySteps = 5 },
        };
        using var model = context.PromptTuning().SoftPrompt(options).Fit(data);
        var scored = model.Transform(data);
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        var predicted = scored.GetColumn<string>("PredictedLabel").ToArray();

        Assert.IsTrue(scores.All(s => s.Length == 2 && Math.Abs(s.Sum() - 1) < 1e-4));
        Assert.IsTrue(predicted.Count(p => p == "yes") >= 10, "the prompt learned the majority label: " + string.Join(",", predicted));
        Assert.AreEqual(3, model.LearningCurve.Count);
        Assert.IsTrue(model.LearningCurve[^1].TrainingLoss < model.LearningCurve[0].TrainingLoss,
            "training loss falls: " + string.Join(" ", model.LearningCurve.Select(p => p.TrainingLoss.ToString("F3"))));
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
