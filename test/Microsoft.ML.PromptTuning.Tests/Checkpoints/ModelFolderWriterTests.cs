using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Tests.Backbones;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

[TestClass]
public sealed class ModelFolderWriterTests
{
    [TestMethod]
    [DataRow("roberta-tiny", "roberta-base")]
    [DataRow("t5-v1_1-tiny-random", "t5")]
    public void Write_Float16Folder_LoadsBackWithCloseOutputsAndTokenizer(string fixture, string tokenizer)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"written-{fixture}-{Guid.NewGuid():N}");
        try
        {
            using var scope = NewDisposeScope();
            using var original = FixtureModels.Load(fixture, "model.safetensors");
            ModelFolderWriter.Write(original, folder, SharedData.Tokenizer(tokenizer), ScalarType.Float16);

            using var reloaded = LanguageModelLoader.Load(folder).Freeze();
            using (var reader = CheckpointFiles.OpenWeights(folder))
            {
                Assert.IsTrue(reader.Names.All(n => reader.GetInfo(n).DType == TensorDType.F16));
                Assert.IsFalse(reader.Names.Any(n => n.Contains("decoder.weight") || n.Contains("embed_tokens")), "tied weights are omitted");
            }
            var originalWeights = original.parameters().ToList();
            var reloadedWeights = reloaded.parameters().ToList();
            Assert.AreEqual(originalWeights.Count, reloadedWeights.Count);
            for (int i = 0; i < originalWeights.Count; i++)
                FixtureModels.AssertClose(originalWeights[i].to(ScalarType.Float16).to(ScalarType.Float32), reloadedWeights[i], $"parameter {i}", 1e-6);
            Assert.IsNotNull(ModelTokenizer.FromDirectory(folder));
            Assert.IsTrue(File.Exists(Path.Combine(folder, "tokenizer_config.json")));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
