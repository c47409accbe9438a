using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Projection;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.MLNet;
using Microsoft.ML.PromptTuning.Tests.Training;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Tests.Projection;

/// <summary>
/// The projector estimator between two fixture models with different tokenizers (roberta-tiny → bert-tiny-random): schema,
/// both methods, projecting other source transformers, the projected prompt as an initialisation, the zip round trip, bad inputs.
/// </summary>
[TestClass]
public sealed class PromptProjectorEstimatorTests
{
    private static readonly LabelWords Words = LabelWords.Of(("negative", ["bad"]), ("positive", ["good"]));
    private static readonly SoftPromptTrainerOptions Quick = new() { LearningRate = 0.05, BatchSize = 4, MaxSteps = 8, EvaluateEverySteps = 4 };
    private static string? _roberta, _bert;
    private static MLContext? _context;

    private static MLContext Context => _context!;
    private static SoftPromptTransformer? _robertaPrompt, _bertPrompt;

    [ClassInitialize]
    public static void TrainSourceAndTargetPrompts(TestContext _)
    {
        _roberta = BackboneFolder("roberta-tiny", "roberta-base", "vocab.json", "merges.txt");
        _bert = BackboneFolder("bert-tiny-random", "bert-base-uncased", "vocab.txt");
        _context = new MLContext(seed: 1);
        _robertaPrompt = _context.PromptTuning().SoftPrompt(PromptOptions(_roberta)).Fit(SentimentRows.Data(_context, 16));
        _bertPrompt = _context.PromptTuning().SoftPrompt(PromptOptions(_bert)).Fit(SentimentRows.Data(_context, 16));
    }

    [ClassCleanup]
    public static void Delete()
    {
        _robertaPrompt?.Dispose();
        _bertPrompt?.Dispose();
        foreach (string? folder in new[] { _roberta, _bert })
            if (folder is not null)
                Directory.Delete(folder, true);
    }

    [TestMethod]
    public void GetOutputSchema_TextLabel_AddsPredictedLabelAndScore()
    {
        var input = Context.Transforms.CustomMapping<NoColumns, LabelledText>((_, _) => { }, null).GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
        var shape = Context.PromptTuning().PromptProjector(TaskTuning()).GetOutputSchema(input);
        Assert.IsInstanceOfType<TextDataViewType>(shape.First(c => c.Name == "PredictedLabel").ItemType);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, shape.First(c => c.Name == "Score").Kind);
    }

    [TestMethod]
    public void Fit_TaskTuning_ScoresWithTheProjectedPromptOnTheTargetModel()
    {
        var steps = new List<int>();
        var options = TaskTuning();
        options.Progress = new ActionProgress<SoftPromptTrainingProgress>(p => steps.Add(p.Step));
        using var fitted = Context.PromptTuning().PromptProjector(options).Fit(SentimentRows.Data(Context, 16));
        var scored = fitted.Transform(SentimentRows.Data(Context, 6));

        var scores = scored.GetColumn<float[]>("Score").ToArray();
        Assert.AreEqual(6, scores.Length);
        Assert.IsTrue(scores.All(s => s.Length == 2 && Math.Abs(s.Sum() - 1) < 1e-4), "probabilities over the two labels");
        Assert.AreEqual("bert", fitted.ProjectedPrompt.Prompt.Backbone.ModelType);
        Assert.AreEqual("{soft:4}{mask}{text_a}", fitted.ProjectedPrompt.Prompt.Template!.ToString());
        Assert.AreEqual("TaskTuning", fitted.ProjectedPrompt.Prompt.TrainingSummary["projection_method"]);
        Assert.AreEqual(2, fitted.LearningCurve.Count);
        CollectionAssert.AreEqual(Enumerable.Range(1, 8).ToList(), steps, "progress after every step");
        Assert.AreEqual("roberta", fitted.Projector.Config.Source.ModelType);
    }

    [TestMethod]
    public void Fit_DistanceMinimizing_ProjectsSourceTransformersAndSeedsFurtherTuning()
    {
        using var fitted = Context.PromptTuning().PromptProjector(DistanceMinimizing()).Fit(SentimentRows.Data(Context, 4));
        using var projected = fitted.Project(_robertaPrompt!);

        Assert.AreEqual("bert", projected.Prompt.Backbone.ModelType);
        using (var expected = fitted.Projector.Project(_robertaPrompt!.Prompt))
            Assert.IsTrue(expected.Embeddings.allclose(projected.Prompt.Embeddings, rtol: 0, atol: 1e-6));
        var predicted = projected.Transform(SentimentRows.Data(Context, 4)).GetColumn<string>("PredictedLabel").ToArray();
        Assert.IsTrue(predicted.All(p => p is "negative" or "positive"));

        var further = PromptOptions(_bert!);
        further.Initialization = new PromptInitializerOptions { Mode = PromptInitialization.FromPrompt, Source = projected.Prompt };
        using var tuned = Context.PromptTuning().SoftPrompt(further).Fit(SentimentRows.Data(Context, 16));
        Assert.AreEqual(4, tuned.Prompt.TokenCount);
    }

    [TestMethod]
    public void SaveLoad_ModelZip_GivesTheSameProjectionAndPredictions()
    {
        var data = SentimentRows.Data(Context, 8);
        using var fitted = Context.PromptTuning().PromptProjector(TaskTuning()).Fit(data);
        string folder = Directory.CreateTempSubdirectory("projector-zip-").FullName;
        try
        {
            string zip = Path.Combine(folder, "projector.zip");
            Context.Model.Save(fitted, data.Schema, zip);
            var loadedModel = Context.Model.Load(zip, out _);
            using var loaded = Context.PromptTuning().LoadPromptProjector(loadedModel);

            Assert.AreEqual(fitted.Projector.Config, loaded.Projector.Config);
            using (var before = fitted.Projector.Project(_robertaPrompt!.Prompt))
            using (var after = loaded.Projector.Project(_robertaPrompt.Prompt))
                Assert.IsTrue(before.Embeddings.allclose(after.Embeddings, rtol: 0, atol: 0), "same projection after the round trip");
            var expected = fitted.Transform(data).GetColumn<float[]>("Score").ToArray();
            var fromZip = loadedModel.Transform(data).GetColumn<float[]>("Score").ToArray();
            var fromProjector = loaded.Transform(data).GetColumn<float[]>("Score").ToArray();
            for (int i = 0; i < expected.Length; i++)
            {
                CollectionAssert.AreEqual(expected[i], fromZip[i], new Tolerance(1e-5f), $"row {i} (loaded zip)");
                CollectionAssert.AreEqual(expected[i], fromProjector[i], new Tolerance(1e-5f), $"row {i} (loaded projector)");
            }

            string plain = Path.Combine(folder, "prompt.zip");
            Context.Model.Save(_robertaPrompt, data.Schema, plain);
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().LoadPromptProjector(Context.Model.Load(plain, out _))).Message, "no prompt projector");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void SaveLoad_MaskRepresentationRequested_LoadedProjectorRestoresTheColumn()
    {
        var data = SentimentRows.Data(Context, 4);
        var options = DistanceMinimizing();
        options.MaskRepresentationColumnName = "MaskRepresentation";
        using var fitted = Context.PromptTuning().PromptProjector(options).Fit(data);
        using var stream = new MemoryStream();
        Context.Model.Save(fitted, data.Schema, stream);
        stream.Position = 0;
        using var loaded = Context.PromptTuning().LoadPromptProjector(Context.Model.Load(stream, out _));

        var scored = loaded.Transform(data);
        Assert.AreEqual(fitted.ProjectedPrompt.Predictor.Classifier.Backbone.HiddenSize, ((VectorDataViewType)scored.Schema["MaskRepresentation"].Type).Size);
        var expected = fitted.Transform(data).GetColumn<float[]>("MaskRepresentation").ToArray();
        var actual = scored.GetColumn<float[]>("MaskRepresentation").ToArray();
        for (int i = 0; i < expected.Length; i++)
            CollectionAssert.AreEqual(expected[i], actual[i], new Tolerance(1e-5f), $"row {i}");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Fit_BadInputs_ThrowNamingTheProblem()
    {
        var data = SentimentRows.Data(Context, 4);
        var noTarget = DistanceMinimizing();
        noTarget.TargetPrompt = null;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().PromptProjector(noTarget)).Message, "TargetPrompt");

        var noBackbone = TaskTuning();
        noBackbone.TargetBackbone = null;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().PromptProjector(noBackbone)).Message, "TargetBackbone");

        var wrongTarget = DistanceMinimizing();
        wrongTarget.TargetPrompt = _robertaPrompt!.Prompt;
        wrongTarget.TargetBackbone = _bert;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().PromptProjector(wrongTarget).Fit(data)).Message, "target prompt belongs to roberta");

        var longer = TaskTuning();
        longer.Template = "{soft:6}{mask}{text_a}";
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().PromptProjector(longer).Fit(data)).Message, "AllowLengthChange");

        var empty = Context.Data.LoadFromEnumerable(new List<LabelledText>());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().PromptProjector(TaskTuning()).Fit(empty)).Message, "no rows");

        // Distance Minimizing reads no rows, so words that do not fit a boolean label are caught against the column's type.
        var booleans = Context.Data.LoadFromEnumerable(new[] { new BooleanText { Text = "fine", Label = true }, new BooleanText { Text = "poor", Label = false } });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().PromptProjector(DistanceMinimizing()).Fit(booleans)).Message,
            "is Boolean with values false, true");

        using var fitted = Context.PromptTuning().PromptProjector(DistanceMinimizing()).Fit(data);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => fitted.Project(_bertPrompt!)).Message, "belongs to bert");
    }

    private sealed class BooleanText
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    private static PromptProjectorOptions TaskTuning() => new()
    {
        Method = ProjectionMethod.TaskTuning,
        SourcePrompt = _robertaPrompt!.Prompt,
        TargetBackbone = _bert,
        Projector = new PromptProjectorTrainerOptions { HiddenSize = 16, Training = Quick with { LearningRate = 5e-3 } },
    };

    private static PromptProjectorOptions DistanceMinimizing() => new()
    {
        Method = ProjectionMethod.DistanceMinimizing,
        SourcePrompt = _robertaPrompt!.Prompt,
        TargetPrompt = _bertPrompt!.Prompt,
        Projector = new PromptProjectorTrainerOptions { HiddenSize = 16, Training = Quick with { LearningRate = 5e-3 } },
    };

    private static SoftPromptOptions PromptOptions(string backbone) => new()
    {
        Backbone = backbone,
        Template = "{soft:4}{mask}{text_a}",
        LabelWords = Words,
        Trainer = Quick,
    };

    private static string BackboneFolder(string fixture, string tokenizer, params string[] tokenizerFiles)
    {
        string folder = Directory.CreateTempSubdirectory($"projector-{fixture}-").FullName;
        foreach (string file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(SharedData.Fixture(fixture), file), Path.Combine(folder, file));
        foreach (string file in tokenizerFiles)
            File.Copy(Path.Combine(SharedData.Tokenizer(tokenizer), file), Path.Combine(folder, file));
        return folder;
    }
}
