using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.MLNet.Persistence;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.MLNet;

/// <summary>
/// The optional mask-representation column on roberta-tiny: schema, Transform against the backbone's last layer at the mask,
/// PredictionEngine, a save → load round trip in a fresh process, zips without the column, and name clashes.
/// </summary>
[TestClass]
public sealed class SoftPromptMaskRepresentationTests
{
    private const string Column = "MaskRepresentation";
    private static readonly string[] Texts = ["a good film", "a bad film", "something else entirely, and much longer than the others", "fine", "dull", "moving"];
    private static string? _backbone;
    private static SoftPromptTransformer? _model;

    /// <summary>One model with the representation column, shared by the tests that only read it.</summary>
    private static SoftPromptTransformer Model => _model!;

    [ClassInitialize]
    public static void FitModel(TestContext _)
    {
        _backbone = FixtureBackboneFolder.CreateRobertaTiny("mask-representation-backbone-");
        var context = new MLContext(seed: 1);
        _model = context.PromptTuning().SoftPrompt(Options(Column)).Fit(SentimentRows.Data(context, 8));
    }

    [ClassCleanup]
    public static void Delete()
    {
        _model?.Dispose();
        if (_backbone is not null)
            Directory.Delete(_backbone, true);
    }

    private static SoftPromptOptions Options(string? representationColumn) => new()
    {
        Backbone = _backbone!,
        Template = "{soft:4}{mask}{text_a}",
        LabelWords = LabelWords.Of(("negative", ["bad"]), ("positive", ["good"])),
        MaskRepresentationColumnName = representationColumn,
        Trainer = new SoftPromptTrainerOptions { LearningRate = 0.05, BatchSize = 4, MaxSteps = 4, EvaluateEverySteps = 4 },
    };

    [TestMethod]
    [DataRow(null)]
    [DataRow(Column)]
    public void GetOutputSchema_MaskRepresentationColumnName_AddsAFixedSizeVectorOnlyWhenSet(string? representationColumn)
    {
        var context = new MLContext(seed: 1);
        var input = context.Transforms.CustomMapping<NoColumns, LabelledText>((_, _) => { }, null)
            .GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
        var shape = context.PromptTuning().SoftPrompt(Options(representationColumn)).GetOutputSchema(input);

        if (representationColumn is null)
        {
            CollectionAssert.AreEqual(new[] { "Label", "PredictedLabel", "Score", "Text" }, shape.Select(c => c.Name).Order().ToArray());
            return;
        }
        var column = shape.First(c => c.Name == representationColumn);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, column.Kind);
        Assert.AreEqual(NumberDataViewType.Single, column.ItemType);
        var type = (VectorDataViewType)Model.GetOutputSchema(SentimentRows.Data(context, 1).Schema)[representationColumn].Type;
        Assert.AreEqual(NumberDataViewType.Single, type.ItemType);
        Assert.AreEqual(Model.Predictor.Classifier.Backbone.HiddenSize, type.Size, "the backbone's hidden size");
    }

    [TestMethod]
    public void Transform_MaskRepresentation_EqualsTheLastEncoderLayerAtTheMask()
    {
        var context = new MLContext(seed: 1);
        var scored = Model.Transform(TextData(context));
        var representations = scored.GetColumn<float[]>(Column).ToArray();
        var scores = scored.GetColumn<float[]>("Score").ToArray();

        var expected = LastLayerAtMask(Model, Texts);
        var withoutRepresentation = Model.Predictor.Predict(Texts.Select(t => (IReadOnlyList<string?>)new[] { t }).ToList());
        for (int i = 0; i < Texts.Length; i++)
        {
            Assert.HasCount(Model.Predictor.Classifier.Backbone.HiddenSize, representations[i]);
            CollectionAssert.AreEqual(expected[i], representations[i], new Tolerance(1e-5f), $"row {i}");
            CollectionAssert.AreEqual(withoutRepresentation[i], scores[i], new Tolerance(1e-6f), $"row {i}: the scores of the path without the representation");
        }
    }

    [TestMethod]
    public void PredictionEngine_MaskRepresentation_MatchesTransform()
    {
        var context = new MLContext(seed: 1);
        var fromTransform = Model.Transform(TextData(context)).GetColumn<float[]>(Column).ToArray();
        var engine = context.Model.CreatePredictionEngine<TextRow, Prediction>(Model);
        for (int i = 0; i < Texts.Length; i++)
            CollectionAssert.AreEqual(fromTransform[i], engine.Predict(new TextRow { Text = Texts[i] }).MaskRepresentation, new Tolerance(1e-5f), $"row {i}");
    }

    [TestMethod]
    public void SaveLoad_FreshProcess_PredictionEngineGivesTheSameRepresentation()
    {
        var context = new MLContext(seed: 1);
        var data = SentimentRows.Data(context, 8);
        // A name of the user's own: the saved chain renames the scorer's column.
        var options = Options("MaskEmbedding");
        using var model = context.PromptTuning().SoftPrompt(options).Fit(data);
        string folder = Directory.CreateTempSubdirectory("mask-representation-zip-").FullName;
        try
        {
            string zip = Path.Combine(folder, "model.zip");
            context.Model.Save(model, data.Schema, zip);
            string input = Path.Combine(folder, "texts.json");
            File.WriteAllText(input, JsonSerializer.Serialize(Texts));

            var loaded = PredictionHostProcess.Run(zip, input, "MaskEmbedding");

            var expected = model.Transform(TextData(context)).GetColumn<float[]>("MaskEmbedding").ToArray();
            var scores = model.Transform(TextData(context)).GetColumn<float[]>("Score").ToArray();
            for (int i = 0; i < Texts.Length; i++)
            {
                CollectionAssert.AreEqual(expected[i], loaded[i].MaskRepresentation, new Tolerance(1e-5f), Texts[i]);
                CollectionAssert.AreEqual(scores[i], loaded[i].Score, new Tolerance(1e-5f), Texts[i]);
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void SaveLoad_BooleanLabels_RestoresTheRepresentationBesideProbability()
    {
        var context = new MLContext(seed: 1);
        var data = context.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new BooleanRow { Text = $"statement {i}", Label = i % 2 == 0 }).ToList());
        var options = Options(Column);
        options.LabelWords = LabelWords.Of(("false", ["bad"]), ("true", ["good"]));
        using var model = context.PromptTuning().SoftPrompt(options).Fit(data);
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = context.Model.Load(stream, out _);

        var before = model.Transform(data);
        var after = loaded.Transform(data);
        Assert.IsInstanceOfType<BooleanDataViewType>(after.Schema["PredictedLabel"].Type);
        var expected = before.GetColumn<float[]>(Column).ToArray();
        var actual = after.GetColumn<float[]>(Column).ToArray();
        var probability = after.GetColumn<float>("Probability").ToArray();
        var expectedProbability = before.GetColumn<float>("Probability").ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            CollectionAssert.AreEqual(expected[i], actual[i], new Tolerance(1e-5f), $"row {i}");
            Assert.AreEqual(expectedProbability[i], probability[i], 1e-5, $"row {i}");
        }
    }

    [TestMethod]
    public void SaveLoad_NoRepresentation_StoresAndLoadsAsBefore()
    {
        var context = new MLContext(seed: 1);
        var data = SentimentRows.Data(context, 8);
        using var model = context.PromptTuning().SoftPrompt(Options(null)).Fit(data);
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = context.Model.Load(stream, out _);

        string state = model.State.Serialize();
        Assert.DoesNotContain(nameof(SoftPromptState.MaskRepresentationColumn), state, "the stored state is written as before the option existed");
        Assert.IsNull(SoftPromptState.Parse(state).MaskRepresentationColumn);
        Assert.AreEqual(Column, SoftPromptState.Parse(Model.State.Serialize()).MaskRepresentationColumn);
        var expected = new[] { "Text", "Label", "PredictedLabel", "Score" };
        CollectionAssert.AreEqual(expected, model.Transform(data).Schema.Select(c => c.Name).ToArray());
        CollectionAssert.AreEqual(expected, loaded.Transform(data).Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray());
    }

    [TestMethod]
    [DataRow("Score", "ScoreColumnName")]
    [DataRow("PredictedLabel", "PredictedLabelColumnName")]
    [DataRow("Probability", "ProbabilityColumnName")]
    [DataRow("Label", "LabelColumnName")]
    [DataRow("Text", "TextColumnNames")]
    public void SoftPrompt_RepresentationColumnNameTaken_ThrowsNamingTheColumn(string name, string option)
    {
        var context = new MLContext(seed: 1);
        var error = Assert.ThrowsExactly<ArgumentException>(() => context.PromptTuning().SoftPrompt(Options(name)));
        StringAssert.Contains(error.Message, $"MaskRepresentationColumnName '{name}'");
        StringAssert.Contains(error.Message, option);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => context.PromptTuning().SoftPrompt(Options(" "))).Message, "MaskRepresentationColumnName is empty");
    }

    [TestMethod]
    [DataRow("Score", "S", DisplayName = "the representation under the score's scorer name")]
    [DataRow("Embedding", "MaskRepresentation", DisplayName = "the score under the representation's scorer name")]
    public void SoftPrompt_RepresentationSwapsNamesWithAnotherOutput_ThrowsNamingTheColumn(string representation, string score)
    {
        var context = new MLContext(seed: 1);
        var options = Options(representation);
        options.ScoreColumnName = score;
        var error = Assert.ThrowsExactly<ArgumentException>(() => context.PromptTuning().SoftPrompt(options));
        StringAssert.Contains(error.Message, $"MaskRepresentationColumnName '{representation}' would swap names");
    }

    /// <summary>The last encoder layer computed at every position, read at each row's mask <c>[rows][hidden]</c>.</summary>
    private static float[][] LastLayerAtMask(SoftPromptTransformer model, IReadOnlyList<string> texts)
    {
        var classifier = model.Predictor.Classifier;
        var backbone = (MaskedLanguageModel)classifier.Backbone;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var batch = classifier.Collate(texts.Select(t => classifier.Encoder.Encode(t)).ToList());
        var states = backbone.Encode(batch.EmbedInputs(backbone, model.Prompt.Embeddings), batch.AttentionMask);   // [rows, T, hidden]
        long[] masks = batch.MaskPositions!.data<long>().ToArray();
        return masks.Select((position, row) => states[row, position].data<float>().ToArray()).ToArray();
    }

    private static IDataView TextData(MLContext context) => context.Data.LoadFromEnumerable(Texts.Select(t => new TextRow { Text = t }).ToList());

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class BooleanRow
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
        public float[] MaskRepresentation { get; set; } = [];
    }
}
