using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>
/// Regression checks of the models shipped in <c>models/</c>: they load, their outputs are finite, and on the held-out
/// sample shipped beside them they still reach the scores recorded at release (which the model cards report).
/// </summary>
[TestClass]
[TestCategory("ShippedModels")]
public sealed class ShippedModelTests
{
    [TestMethod]
    [DataRow("roberta-small")]
    [DataRow("t5-small")]
    public void ShippedModel_HeldOutSample_ScoresAsAtReleaseAndBeatsTheUnigramBaseline(string name)
    {
        string folder = Path.Combine(SharedData.RepositoryRoot, "models", name);
        using var scope = NewDisposeScope();
        using var model = LanguageModelLoader.Load(folder).Freeze();
        var tokenizer = ModelTokenizer.FromDirectory(folder);
        var sample = HeldOutSample.Load(Path.Combine(folder, HeldOutSample.FileName));

        // Corruption seeds follow the batches: evaluate with the release batch size recorded in the report.
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "pretraining_report.json")));
        int batchSize = report.RootElement.GetProperty("Options").GetProperty("BatchSize").GetInt32();
        var result = sample.Evaluate(PretrainingPipeline.CreateObjective(model, tokenizer), batchSize);

        Assert.AreEqual(sample.Expected.Targets, result.Targets, "the same targets are predicted");
        Assert.IsTrue(double.IsFinite(result.Loss), $"loss {result.Loss}");
        Assert.AreEqual(sample.Expected.Loss, result.Loss, 0.01, "held-out loss");
        Assert.IsTrue(result.Accuracy >= sample.Expected.Accuracy - 0.005, $"accuracy {result.Accuracy:P2} fell below the release figure {sample.Expected.Accuracy:P2}");
        Assert.IsTrue(result.Accuracy > 2 * result.UnigramBaselineAccuracy, $"accuracy {result.Accuracy:P2} vs unigram baseline {result.UnigramBaselineAccuracy:P2}");
    }

    [TestMethod]
    public void RobertaSmall_FillMaskProbe_ReturnsWords()
    {
        string folder = Path.Combine(SharedData.RepositoryRoot, "models", "roberta-small");
        using var model = (MaskedLanguageModel)LanguageModelLoader.Load(folder).Freeze();
        var fills = MaskFillProbe.TopFills(model, ModelTokenizer.FromDirectory(folder), "The movie was <mask>.");
        Assert.AreEqual(5, fills.Count);
        Assert.IsTrue(fills.Count(f => f.Length > 0 && f.All(char.IsLetter)) >= 3, string.Join(", ", fills));
    }
}
