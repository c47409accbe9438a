using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Tests.MLNet;

/// <summary>
/// A saved model zip that was tampered with, refers to other backbone weights, or comes from a newer library is refused
/// with an error saying so when it first scores — never silently used. The states are edited inside real zips.
/// </summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class SavedModelTamperingTests
{
    private static string? _folder;
    private static string? _backbone;
    private static string? _zip;

    /// <summary>One small model trained on roberta-tiny and saved; each test edits a copy of its zip.</summary>
    [ClassInitialize]
    public static void SaveModel(TestContext _)
    {
        _folder = Directory.CreateTempSubdirectory("tampering-").FullName;
        _backbone = FixtureBackboneFolder.CreateRobertaTiny("tampering-backbone-");
        var context = new MLContext(seed: 1);
        var data = SentimentRows.Data(context, 8);
        using var model = context.PromptTuning().SoftPrompt(new SoftPromptOptions
        {
            Backbone = _backbone,
            Template = "{soft:4}{mask}{text_a}",
            LabelWords = LabelWords.Of(("negative", ["bad"]), ("positive", ["good"])),
            Trainer = new SoftPromptTrainerOptions { LearningRate = 0.05, BatchSize = 4, MaxSteps = 3, EvaluateEverySteps = 3 },
        }).Fit(data);
        _zip = Path.Combine(_folder, "model.zip");
        context.Model.Save(model, data.Schema, _zip);
    }

    [ClassCleanup]
    public static void Delete()
    {
        foreach (string? folder in new[] { _folder, _backbone })
            if (folder is not null && Directory.Exists(folder))
                Directory.Delete(folder, true);
    }

    [TestMethod]
    public void Predict_UntouchedZip_Scores()
    {
        var prediction = Predict(_zip!);

        Assert.AreEqual(2, prediction.Score.Length, "the copy the other tests edit is a working model");
    }

    [TestMethod]
    public void Predict_TamperedPromptTensor_ThrowsSayingThePromptWasModified()
    {
        string zip = Copy("tampered-prompt.zip");
        SavedModelStateEditor.Edit(zip, state =>
        {
            byte[] prompt = Convert.FromBase64String(state["PromptBase64"]!.GetValue<string>());
            prompt[5] ^= 0x40;   // one bit of one float of the prompt
            state["PromptBase64"] = Convert.ToBase64String(prompt);
        });

        var error = AssertFailsToScore(zip);

        StringAssert.Contains(error.Message, "The stored soft prompt was modified");
    }

    [TestMethod]
    public void Predict_ZipDifferingOnlyInSettings_IsNotServedTheOtherZipsPredictor()
    {
        var original = Predict(_zip!);
        string zip = Copy("swapped-labels.zip");
        // Same prompt, same recorded hashes, same length: only the order of the labels differs.
        SavedModelStateEditor.Edit(zip, state =>
        {
            var words = state["LabelWords"]!.AsArray();
            var first = words[0]!.DeepClone();
            words[0] = words[1]!.DeepClone();
            words[1] = first;
        });

        var swapped = Predict(zip);

        CollectionAssert.AreEqual(original.Score.Reverse().ToArray(), swapped.Score, new Tolerance(1e-6f), "scores in the edited zip's label order");
    }

    [TestMethod]
    public void Predict_BackboneWithOtherWeights_ThrowsNamingTheShaMismatch()
    {
        // The recorded path now holds a checkpoint whose weights differ in one value (still a valid file).
        string otherBackbone = Path.Combine(_folder!, "other-backbone");
        Directory.CreateDirectory(otherBackbone);
        foreach (string file in Directory.GetFiles(_backbone!))
            File.Copy(file, Path.Combine(otherBackbone, Path.GetFileName(file)));
        string weights = Path.Combine(otherBackbone, "model.safetensors");
        byte[] bytes = File.ReadAllBytes(weights);
        bytes[^3] ^= 0x01;
        File.WriteAllBytes(weights, bytes);
        string zip = Copy("other-backbone.zip");
        SavedModelStateEditor.Edit(zip, state => state["BackbonePath"] = otherBackbone);

        var error = AssertFailsToScore(zip);

        StringAssert.Contains(error.Message, $"The backbone at {otherBackbone} is not the one the soft prompt was trained on");
        StringAssert.Contains(error.Message, "SHA-256");
    }

    [TestMethod]
    public void Predict_BackboneFolderGone_ThrowsNamingTheFolder()
    {
        string missing = Path.Combine(_folder!, "moved-away");
        string zip = Copy("missing-backbone.zip");
        // Gone both where the user named it and from the folder recorded at save time.
        SavedModelStateEditor.Edit(zip, state =>
        {
            state["BackbonePath"] = missing;
            state["BackboneDirectory"] = missing;
        });

        var error = AssertFailsToScore<DirectoryNotFoundException>(zip);

        StringAssert.Contains(error.Message, missing);
    }

    [TestMethod]
    public void Predict_NewerFormatVersion_ThrowsSayingToUpdateTheLibrary()
    {
        string zip = Copy("newer.zip");
        SavedModelStateEditor.Edit(zip, state => state["FormatVersion"] = 99);

        var error = AssertFailsToScore(zip);

        StringAssert.Contains(error.Message, "saved in format version 99, newer than this library reads (1)");
    }

    [TestMethod]
    [DataRow("\"one\"", "FormatVersion \"one\", not an integer")]
    [DataRow("1.5", "FormatVersion 1.5, not an integer")]
    [DataRow("0", "no valid format version")]
    public void Predict_InvalidFormatVersion_ThrowsNamingIt(string version, string expected)
    {
        string zip = Copy("bad-version.zip");
        SavedModelStateEditor.Edit(zip, state => state["FormatVersion"] = System.Text.Json.Nodes.JsonNode.Parse(version));

        var error = AssertFailsToScore(zip);

        StringAssert.Contains(error.Message, expected);
    }

    private static string Copy(string name)
    {
        string path = Path.Combine(_folder!, name);
        File.Copy(_zip!, path, overwrite: true);
        return path;
    }

    private static Prediction Predict(string zip)
    {
        var context = new MLContext(seed: 1);
        context.PromptTuning();
        var model = context.Model.Load(zip, out _);
        var engine = context.Model.CreatePredictionEngine<TextRow, Prediction>(model);
        return engine.Predict(new TextRow { Text = "a wonderful film" });
    }

    // The zip loads (ML.NET reads only its own transformers); the state is checked when the model first scores, and the
    // library's exception reaches the caller of Predict unwrapped.
    private static InvalidDataException AssertFailsToScore(string zip) => AssertFailsToScore<InvalidDataException>(zip);

    private static T AssertFailsToScore<T>(string zip) where T : Exception =>
        Assert.ThrowsExactly<T>(() => Predict(zip));

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
