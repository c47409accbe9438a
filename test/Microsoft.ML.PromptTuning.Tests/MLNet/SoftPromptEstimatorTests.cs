using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Tests.MLNet;

/// <summary>The estimator on the roberta-tiny fixture: schema, fit/transform, PredictionEngine, evaluation and a save → load round trip in a fresh process.</summary>
[TestClass]
public sealed class SoftPromptEstimatorTests
{
    private static string? _backbone;

    /// <summary>roberta-tiny with the roberta-base tokenizer beside it, as a user's model folder looks.</summary>
    [ClassInitialize]
    public static void CreateBackboneFolder(TestContext _)
    {
        _backbone = FixtureBackboneFolder.CreateRobertaTiny("soft-prompt-backbone-");
    }

    [ClassCleanup]
    public static void DeleteBackboneFolder()
    {
        if (_backbone is not null)
            Directory.Delete(_backbone, true);
    }

    private static SoftPromptOptions Options(MLContext context) => new()
    {
        Backbone = _backbone!,
        Template = "{soft:4}{mask}{text_a}",
        LabelWords = LabelWords.Of(("negative", ["bad"]), ("positive", ["good"])),
        Trainer = new SoftPromptTrainerOptions { LearningRate = 0.05, BatchSize = 4, MaxSteps = 8, EvaluateEverySteps = 4 },
    };

    [TestMethod]
    public void GetOutputSchema_TextLabel_AddsPredictedLabelAndScoreOfTheLabelCount()
    {
        var context = new MLContext(seed: 1);
        // ML.NET builds SchemaShape columns only internally: a CustomMapping with the row type yields the input shape.
        var input = context.Transforms.CustomMapping<NoColumns, LabelledText>((_, _) => { }, null)
            .GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
        var shape = context.PromptTuning().SoftPrompt(Options(context)).GetOutputSchema(input);
        var predicted = shape.First(c => c.Name == "PredictedLabel");
        var score = shape.First(c => c.Name == "Score");
        Assert.IsInstanceOfType<TextDataViewType>(predicted.ItemType);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, score.Kind);
        Assert.IsInstanceOfType<NumberDataViewType>(score.ItemType);
    }

    [TestMethod]
    public void FitTransform_TextLabels_ScoresEveryRowLikeThePredictionEngine()
    {
        var context = new MLContext(seed: 1);
        var data = SentimentRows.Data(context, 16);
        using var model = context.PromptTuning().SoftPrompt(Options(context)).Fit(data);

        var scored = model.Transform(data);
        var predicted = scored.GetColumn<string>("PredictedLabel").ToArray();
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        var texts = scored.GetColumn<string>("Text").ToArray();

        Assert.AreEqual(16, predicted.Length);
        Assert.AreEqual(2, ((VectorDataViewType)scored.Schema["Score"].Type).Size);
        Assert.IsTrue(scores.All(s => Math.Abs(s.Sum() - 1) < 1e-4), "scores are probabilities");
        var engine = context.Model.CreatePredictionEngine<TextRow, Prediction>(model);
        for (int i = 0; i < texts.Length; i++)
        {
            var single = engine.Predict(new TextRow { Text = texts[i] });
            Assert.AreEqual(predicted[i], single.PredictedLabel, $"row {i}");
            CollectionAssert.AreEqual(scores[i], single.Score, new Tolerance(1e-5f), $"row {i}");
        }
        Assert.AreEqual(2, model.LearningCurve.Count);
        Assert.AreEqual(4, model.Prompt.TokenCount);
    }

    [TestMethod]
    public void Fit_KeyLabelsWithValidation_LogsEvaluationsAndMulticlassEvaluateWorks()
    {
        var context = new MLContext(seed: 1);
        var data = context.Transforms.Conversion.MapValueToKey("Label").Fit(SentimentRows.Data(context, 16)).Transform(SentimentRows.Data(context, 16));
        var messages = new List<string>();
        context.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var options = Options(context);
        options.ValidationData = data;
        using var model = context.PromptTuning().SoftPrompt(options).Fit(data);
        lock (messages)
            Assert.IsTrue(messages.Any(m => m.Contains("validation accuracy")), "evaluations reach the ML.NET log");
        var metrics = context.MulticlassClassification.Evaluate(model.Transform(data));
        Assert.IsTrue(metrics.MacroAccuracy is >= 0 and <= 1);
        Assert.IsTrue(double.IsFinite(metrics.LogLoss));
    }

    [TestMethod]
    public void Fit_BooleanLabels_PredictsBooleansAndBinaryEvaluateWorksOnProbability()
    {
        var context = new MLContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(Enumerable.Range(0, 12).Select(i => new BooleanRow { Text = $"statement {i}", Label = i % 3 != 0 }).ToList());
        var options = Options(context);
        options.LabelWords = LabelWords.Of(("false", ["bad"]), ("true", ["good"]));
        using var model = context.PromptTuning().SoftPrompt(options).Fit(data);
        var scored = model.Transform(data);

        Assert.IsInstanceOfType<BooleanDataViewType>(scored.Schema["PredictedLabel"].Type);
        var probability = scored.GetColumn<float>("Probability").ToArray();
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        for (int i = 0; i < scores.Length; i++)
            Assert.AreEqual(scores[i][1], probability[i], 1e-6, "Probability is P(true)");
        var metrics = context.BinaryClassification.Evaluate(scored, "Label", scoreColumnName: "Probability", probabilityColumnName: "Probability");
        Assert.IsTrue(metrics.Accuracy is >= 0 and <= 1);
    }

    [TestMethod]
    public void SaveLoad_LoadSoftPrompt_RebuildsTheTrainedSchemaThatMulticlassEvaluateAccepts()
    {
        var context = new MLContext(seed: 1);
        var rows = SentimentRows.Data(context, 12);
        var data = context.Transforms.Conversion.MapValueToKey("Label").Fit(rows).Transform(rows);
        var options = Options(context);
        options.PredictedLabelColumnName = "Predicted";
        using var model = context.PromptTuning().SoftPrompt(options).Fit(data);
        string folder = Directory.CreateTempSubdirectory("soft-prompt-live-").FullName;
        try
        {
            string zip = Path.Combine(folder, "model.zip");
            context.Model.Save(model, data.Schema, zip);
            var other = new MLContext(seed: 2);
            var chain = other.Model.Load(zip, out _);
            Assert.AreEqual(0, ((VectorDataViewType)chain.Transform(data).Schema["Score"].Type).Size, "the loaded chain's Score has no fixed size");

            using var live = other.PromptTuning().LoadSoftPrompt(chain);
            var scored = live.Transform(data);

            Assert.AreEqual(2, ((VectorDataViewType)scored.Schema["Score"].Type).Size);
            Assert.IsTrue(scored.Schema["Predicted"].Type is KeyDataViewType, "the output names and the key label are restored");
            var before = context.MulticlassClassification.Evaluate(model.Transform(data), predictedLabelColumnName: "Predicted");
            var after = other.MulticlassClassification.Evaluate(scored, predictedLabelColumnName: "Predicted");
            Assert.AreEqual(before.MicroAccuracy, after.MicroAccuracy);
            Assert.AreEqual(before.LogLoss, after.LogLoss, 1e-6);
            Assert.IsTrue(model.Prompt.Embeddings.allclose(live.Prompt.Embeddings, rtol: 0, atol: 0), "the same prompt");
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => other.PromptTuning().LoadSoftPrompt(context.Transforms.CopyColumns("Copy", "Text").Fit(data))).Message,
                "no soft prompt");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void SaveLoad_FreshProcess_PredictionEngineGivesTheSamePredictionsAndScores()
    {
        var context = new MLContext(seed: 1);
        var data = SentimentRows.Data(context, 12);
        // The backbone named relative to this process's folder, as users write "models/…"; the host runs elsewhere, where
        // that relative path leads nowhere, and finds the folder the zip recorded.
        var options = Options(context);
        options.Backbone = Path.GetRelativePath(Environment.CurrentDirectory, _backbone!);
        using var model = context.PromptTuning().SoftPrompt(options).Fit(data);
        string folder = Directory.CreateTempSubdirectory("soft-prompt-zip-").FullName;
        try
        {
            string zip = Path.Combine(folder, "model.zip");
            context.Model.Save(model, data.Schema, zip);
            string[] texts = ["a good film", "a bad film", "something else entirely"];
            string input = Path.Combine(folder, "texts.json");
            File.WriteAllText(input, JsonSerializer.Serialize(texts));
            string elsewhere = Directory.CreateDirectory(Path.Combine(folder, "host")).FullName;
            while (Directory.Exists(Path.Combine(elsewhere, options.Backbone)))
                elsewhere = Directory.CreateDirectory(Path.Combine(elsewhere, "deeper")).FullName;

            var loaded = PredictionHostProcess.Run(zip, input, workingDirectory: elsewhere);

            var engine = context.Model.CreatePredictionEngine<TextRow, Prediction>(model);
            for (int i = 0; i < texts.Length; i++)
            {
                var before = engine.Predict(new TextRow { Text = texts[i] });
                Assert.AreEqual(before.PredictedLabel, loaded[i].PredictedLabel, texts[i]);
                CollectionAssert.AreEqual(before.Score, loaded[i].Score, new Tolerance(1e-5f), texts[i]);
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Fit_BadInputs_ThrowNamingTheProblem()
    {
        var context = new MLContext(seed: 1);
        var data = SentimentRows.Data(context, 4);
        var missingColumn = Options(context);
        missingColumn.TextColumnNames = ["Review"];
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => context.PromptTuning().SoftPrompt(missingColumn).Fit(data)).Message, "Review");

        var unknownLabel = Options(context);
        unknownLabel.LabelWords = LabelWords.Of(("negative", ["bad"]), ("neutral", ["okay"]));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => context.PromptTuning().SoftPrompt(unknownLabel).Fit(data)).Message, "positive");

        var empty = context.Data.LoadFromEnumerable(new[] { new LabelledText { Text = " ", Label = "positive" }, new LabelledText { Text = "fine", Label = "negative" } });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => context.PromptTuning().SoftPrompt(Options(context)).Fit(empty)).Message, "row 0");

        var oneClass = context.Data.LoadFromEnumerable(new[] { new LabelledText { Text = "fine", Label = "positive" } });
        var noWords = Options(context);
        noWords.LabelWords = null;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => context.PromptTuning().SoftPrompt(noWords).Fit(oneClass)).Message, "single class");

        var hardOnly = Options(context);
        hardOnly.Template = "Review: {text_a} It was {mask}.";
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => context.PromptTuning().SoftPrompt(hardOnly)).Message, "no soft tokens");
    }

    private sealed class BooleanRow
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
    }
}
