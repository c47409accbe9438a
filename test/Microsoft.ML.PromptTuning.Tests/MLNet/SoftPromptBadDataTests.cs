using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Tests.MLNet;

/// <summary>
/// Messy data through the estimator: every case is a specific error naming the set, row and column, or a documented
/// behaviour (texts longer than the model reads are truncated from the end; label words define the classes, so training
/// rows of one class are accepted when words for two are given).
/// </summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class SoftPromptBadDataTests
{
    private static readonly MLContext Context = new(seed: 1);
    private static string? _backbone;
    private static SoftPromptTransformer? _model;

    [ClassInitialize]
    public static void Fit(TestContext context)
    {
        _backbone = FixtureBackboneFolder.CreateRobertaTiny("bad-data-");
        _model = Context.PromptTuning().SoftPrompt(Options()).Fit(SentimentRows.Data(Context, 8));
    }

    [ClassCleanup]
    public static void Delete()
    {
        _model?.Dispose();
        if (_backbone is not null)
            Directory.Delete(_backbone, true);
    }

    [TestMethod]
    [DataRow("", "training row 1: The text of column 'text_a' is empty or whitespace-only")]
    [DataRow(" \t\n", "training row 1: The text of column 'text_a' is empty or whitespace-only")]
    [DataRow(null, "training row 1: The text of column 'text_a' is empty or whitespace-only")]
    public void Fit_EmptyWhitespaceOrNullText_ThrowsNamingTheRow(string? text, string expected)
    {
        var data = Rows(("fine film", "positive"), (text!, "negative"));

        var error = Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().SoftPrompt(Options()).Fit(data));

        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow(null)]
    [DataRow("   ")]
    public void Fit_EmptyOrNullLabel_ThrowsNamingTheRowAndColumn(string? label)
    {
        var data = Rows(("fine film", "positive"), ("dull film", label!));
        var options = Options();
        options.LabelWords = null;   // otherwise "" would have to be one of the words' labels

        var error = Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().SoftPrompt(options).Fit(data));

        StringAssert.Contains(error.Message, "training row 1: label column 'Label' is empty or missing.");
    }

    [TestMethod]
    public void Fit_NoRows_ThrowsSayingSo()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().SoftPrompt(Options()).Fit(Rows()));

        StringAssert.Contains(error.Message, "The training data has no rows.");
    }

    [TestMethod]
    public void Fit_ValidationWithoutRows_ThrowsNamingValidation()
    {
        var options = Options();
        options.ValidationData = Rows();

        var error = Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().SoftPrompt(options).Fit(SentimentRows.Data(Context, 4)));

        StringAssert.Contains(error.Message, "The validation data has no rows.");
    }

    [TestMethod]
    public void Fit_UnseenLabelInValidation_ThrowsNamingRowAndLabel()
    {
        var options = Options();
        options.ValidationData = Rows(("fine film", "positive"), ("a film", "neutral"));

        var error = Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().SoftPrompt(options).Fit(SentimentRows.Data(Context, 4)));

        StringAssert.Contains(error.Message, "validation row 1 has label 'neutral', which the verbalizer does not know (negative, positive)");
    }

    [TestMethod]
    public void Fit_OneClassWithoutLabelWords_ThrowsSayingAClassifierNeedsTwo()
    {
        var options = Options();
        options.LabelWords = null;

        var error = Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().SoftPrompt(options).Fit(Rows(("good", "positive"), ("great", "positive"))));

        StringAssert.Contains(error.Message, "Label column 'Label' has a single class (positive); a classifier needs at least two.");
    }

    [TestMethod]
    public void Fit_OneClassWithWordsForTwo_TrainsAsDocumented()
    {
        using var model = Context.PromptTuning().SoftPrompt(Options()).Fit(Rows(("good", "positive"), ("great", "positive")));

        CollectionAssert.AreEqual(new[] { "negative", "positive" }, model.Labels.ToArray(), "the label words define the classes");
    }

    [TestMethod]
    public void Fit_FloatLabelColumn_ThrowsNamingColumnAndType()
    {
        var data = Context.Data.LoadFromEnumerable(new[] { new FloatLabel { Text = "good", Label = 1 }, new FloatLabel { Text = "bad", Label = 0 } });

        var error = Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().SoftPrompt(Options()).Fit(data));

        StringAssert.Contains(error.Message, "Label column 'Label' has type Single; use text, boolean or a key type");
    }

    [TestMethod]
    public void Fit_NumericTextColumn_ThrowsNamingColumnAndType()
    {
        var data = Context.Data.LoadFromEnumerable(new[] { new NumericText { Text = 3, Label = "positive" } });

        var error = Assert.ThrowsExactly<ArgumentException>(() => Context.PromptTuning().SoftPrompt(Options()).Fit(data));

        StringAssert.Contains(error.Message, "Column 'Text' has type Single; a prompt template reads text columns.");
    }

    [TestMethod]
    public void Fit_KeyLabelWithAMissingValue_ThrowsNamingTheRow()
    {
        var keys = Context.Data.LoadFromEnumerable(new[] { new KeyValue { Label = "negative" }, new KeyValue { Label = "positive" } });
        var keyed = Context.Transforms.Conversion.MapValueToKey("Label", keyData: keys)
            .Fit(Rows(("x", "negative"))).Transform(Rows(("good", "positive"), ("odd", "unheard-of")));
        var options = Options();
        options.LabelWords = null;

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Context.PromptTuning().SoftPrompt(options).Fit(keyed));

        StringAssert.Contains(error.Message, "training row 1: Label column 'Label' holds a missing or out-of-range key (0).");
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow(null)]
    public void Predict_EmptyOrMissingText_ThrowsNamingTheColumn(string? text)
    {
        var engine = Context.Model.CreatePredictionEngine<Review, Prediction>(_model!);

        var error = Assert.ThrowsExactly<ArgumentException>(() => engine.Predict(new Review { Text = text! }));

        StringAssert.StartsWith(error.Message, "The row cannot be scored: text column 'Text' is ");
        StringAssert.Contains(error.Message, "the template \"{soft:4}{mask}{text_a}\" needs its text.");
    }

    [TestMethod]
    public void Transform_EmptyTextInTheThirdRow_ThrowsNamingThatRow()
    {
        var scored = _model!.Transform(Rows(("good", "positive"), ("bad", "negative"), ("", "negative")));

        var error = Assert.ThrowsExactly<ArgumentException>(() => scored.GetColumn<float[]>("Score").ToList());

        StringAssert.StartsWith(error.Message, "Row 2 cannot be scored: text column 'Text' is empty or missing");
    }

    [TestMethod]
    public void Transform_EmptyOptionalAndRequiredTexts_NamesTheRequiredColumn()
    {
        var options = Options();
        options.Template = "{soft:4}{mask}{Title?} {Body}";
        options.TextColumnNames = ["Title", "Body"];
        var rows = Context.Data.LoadFromEnumerable(new[]
        {
            new TitledReview { Title = "fine", Body = "a good film", Label = "positive" },
            new TitledReview { Title = "", Body = "a bad film", Label = "negative" },
        });
        using var model = Context.PromptTuning().SoftPrompt(options).Fit(rows);
        var scored = model.Transform(Context.Data.LoadFromEnumerable(new[] { new TitledReview { Title = "", Body = "", Label = "negative" } }));

        var error = Assert.ThrowsExactly<ArgumentException>(() => scored.GetColumn<float[]>("Score").ToList());

        StringAssert.StartsWith(error.Message, "Row 0 cannot be scored: text column 'Body' is empty or missing", "the optional Title may be empty");
    }

    [TestMethod]
    public void Predict_TextFarBeyondTheModelsLength_IsTruncatedFromTheEnd()
    {
        var engine = Context.Model.CreatePredictionEngine<Review, Prediction>(_model!);
        string opening = "a wonderful and moving film " + string.Join(' ', Enumerable.Range(0, 600).Select(i => $"scene{i % 10}"));

        var longer = engine.Predict(new Review { Text = opening + string.Concat(Enumerable.Repeat(" and more", 20_000)) });
        var shorter = engine.Predict(new Review { Text = opening + " but the ending differs entirely" });

        Assert.IsTrue(longer.Score.All(float.IsFinite));
        CollectionAssert.AreEqual(shorter.Score, longer.Score, "only the first tokens that fit the model's 512 are read");
    }

    private static SoftPromptOptions Options() => new()
    {
        Backbone = _backbone!,
        Template = "{soft:4}{mask}{text_a}",
        LabelWords = LabelWords.Of(("negative", ["bad"]), ("positive", ["good"])),
        Trainer = new SoftPromptTrainerOptions { LearningRate = 0.05, BatchSize = 2, MaxSteps = 2, EvaluateEverySteps = 2 },
    };

    private static IDataView Rows(params (string Text, string Label)[] rows) =>
        Context.Data.LoadFromEnumerable(rows.Select(r => new LabelledText { Text = r.Text, Label = r.Label }).ToList());

    private sealed class TitledReview
    {
        public string Title { get; set; } = "";
        public string Body { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class FloatLabel
    {
        public string Text { get; set; } = "";
        public float Label { get; set; }
    }

    private sealed class NumericText
    {
        public float Text { get; set; }
        public string Label { get; set; } = "";
    }

    private sealed class KeyValue
    {
        public string Label { get; set; } = "";
    }

    private sealed class Review
    {
        public string Text { get; set; } = "";
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
    }
}
