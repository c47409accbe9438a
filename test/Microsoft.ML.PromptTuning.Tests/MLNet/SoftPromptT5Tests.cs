using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tokenization;
using Microsoft.ML.PromptTuning.Training;
using static TorchSharp.torch;

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

    [TestMethod]
    [DataRow(MultiTokenHandling.First)]
    [DataRow(MultiTokenHandling.Mean)]
    public void Transform_MaskRepresentation_EqualsTheDecoderStateAtTheFirstStep(MultiTokenHandling handling)
    {
        var context = new MLContext(seed: 1);
        string[] texts = ["sentence number 1", "a somewhat longer sentence number 2", "three"];
        var data = context.Data.LoadFromEnumerable(texts.Select((t, i) => new Row { Text = t, Label = i == 0 ? "no" : "yes" }).ToList());
        var options = new SoftPromptOptions
        {
            Backbone = _backbone!, PromptLength = 3, MultiTokenHandling = handling, MaskRepresentationColumnName = "MaskRepresentation",
            LabelWords = LabelWords.Of(("no", ["no", "never mind"]), ("yes", ["yes"])),
            Trainer = new SoftPromptTrainerOptions { LearningRate = 0.1, BatchSize = 4, MaxSteps = 2, EvaluateEverySteps = 2 },
        };
        using var model = context.PromptTuning().SoftPrompt(options).Fit(data);
        var scored = model.Transform(data);
        var representations = scored.GetColumn<float[]>("MaskRepresentation").ToArray();
        var scores = scored.GetColumn<float[]>("Score").ToArray();

        Assert.AreEqual(16, ((VectorDataViewType)scored.Schema["MaskRepresentation"].Type).Size, "d_model");
        var expected = FirstDecoderStep(model, texts);
        var withoutRepresentation = model.Predictor.Predict(texts.Select(t => (IReadOnlyList<string?>)new[] { t }).ToList());
        var engine = context.Model.CreatePredictionEngine<Row, RepresentationPrediction>(model);
        for (int i = 0; i < texts.Length; i++)
        {
            CollectionAssert.AreEqual(expected[i], representations[i], new Tolerance(1e-5f), $"row {i}");
            CollectionAssert.AreEqual(withoutRepresentation[i], scores[i], new Tolerance(1e-6f), $"row {i}: the scores of the path without the representation");
            CollectionAssert.AreEqual(representations[i], engine.Predict(new Row { Text = texts[i] }).MaskRepresentation, new Tolerance(1e-5f), $"row {i}: PredictionEngine");
        }
    }

    /// <summary>The decoder's final state after the start token over the encoded rows <c>[rows][d_model]</c>.</summary>
    private static float[][] FirstDecoderStep(SoftPromptTransformer model, IReadOnlyList<string> texts)
    {
        var classifier = model.Predictor.Classifier;
        var t5 = (T5ForConditionalGeneration)classifier.Backbone;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var batch = classifier.Collate(texts.Select(t => classifier.Encoder.Encode(t)).ToList());
        var encoded = t5.Encode(batch.EmbedInputs(t5, model.Prompt.Embeddings), batch.AttentionMask);
        var states = t5.Decode(t5.StartTokens(batch.BatchSize, encoded.device), encoded, batch.AttentionMask);   // [rows, 1, d_model]
        return Enumerable.Range(0, texts.Count).Select(row => states[row, 0].data<float>().ToArray()).ToArray();
    }

    private sealed class RepresentationPrediction
    {
        public float[] MaskRepresentation { get; set; } = [];
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
