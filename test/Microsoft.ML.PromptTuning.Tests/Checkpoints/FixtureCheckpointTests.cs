using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>Reads the real Hugging Face-layout checkpoints in <c>../shared/fixtures</c>, written by transformers and torch.</summary>
[TestClass]
public sealed class FixtureCheckpointTests
{
    [TestMethod]
    [DataRow("roberta-tiny", "lm_head.decoder.weight=roberta.embeddings.word_embeddings.weight", "lm_head.decoder.bias=lm_head.bias")]
    [DataRow("bert-tiny-random", "cls.predictions.decoder.weight=bert.embeddings.word_embeddings.weight", "cls.predictions.decoder.bias=cls.predictions.bias")]
    [DataRow("t5-tiny-random", "encoder.embed_tokens.weight=shared.weight", "decoder.embed_tokens.weight=shared.weight", "lm_head.weight=shared.weight")]
    [DataRow("t5-v1_1-tiny-random", "encoder.embed_tokens.weight=shared.weight", "decoder.embed_tokens.weight=shared.weight")]
    public void Read_BinAndSafeTensors_GiveIdenticalTensors(string fixture, params string[] tiedKeys)
    {
        using var safeTensors = SafeTensorsReader.Open(Path.Combine(SharedData.Fixture(fixture), "model.safetensors"));
        using var bin = PyTorchCheckpointReader.Open(Path.Combine(SharedData.Fixture(fixture), "pytorch_model.bin"));

        Dictionary<string, string> tiedTo = tiedKeys.Select(pair => pair.Split('=')).ToDictionary(pair => pair[0], pair => pair[1]);
        CollectionAssert.AreEquivalent(tiedTo.Keys.ToArray(), bin.Names.Except(safeTensors.Names).ToArray(), "the .bin's extra keys are the tied ones");
        CollectionAssert.AreEquivalent(Array.Empty<string>(), safeTensors.Names.Except(bin.Names).ToArray());
        foreach (string name in bin.Names)
        {
            string source = tiedTo.GetValueOrDefault(name, name);
            TensorInfo expectedInfo = safeTensors.GetInfo(source);
            TensorInfo info = bin.GetInfo(name);
            Assert.AreEqual(expectedInfo.DType, info.DType, name);
            CollectionAssert.AreEqual(expectedInfo.Shape, info.Shape, name);
            using torch.Tensor expected = safeTensors.Read(source);
            using torch.Tensor actual = bin.Read(name);
            TensorAssert.AreEqual(expected, actual, $"{name} against {source}");
        }
    }

    [TestMethod]
    [DataRow("roberta-tiny", 44)]
    [DataRow("bert-tiny-random", 44)]
    [DataRow("t5-tiny-random", 47)]
    [DataRow("t5-v1_1-tiny-random", 66)]
    public void OpenWeights_FixtureFolder_OpensSafeTensorsWithFormatMetadata(string fixture, int tensorCount)
    {
        using ITensorReader reader = CheckpointFiles.OpenWeights(SharedData.Fixture(fixture));

        var safeTensors = reader as SafeTensorsReader;
        Assert.IsNotNull(safeTensors, $"model.safetensors is preferred, got {reader.GetType().Name}");
        Assert.AreEqual(tensorCount, reader.Names.Count);
        Assert.AreEqual("pt", safeTensors.Metadata["format"]);
    }

    [TestMethod]
    [DataRow("roberta-tiny", "roberta.pooler.dense.weight")]
    [DataRow("bert-tiny-random", "bert.pooler.dense.weight")]
    public void Read_PoolerWeights_PresentInBothFormats(string fixture, string poolerKey)
    {
        using var bin = PyTorchCheckpointReader.Open(Path.Combine(SharedData.Fixture(fixture), "pytorch_model.bin"));
        using var safeTensors = SafeTensorsReader.Open(Path.Combine(SharedData.Fixture(fixture), "model.safetensors"));

        CollectionAssert.AreEqual(new long[] { 32, 32 }, bin.GetInfo(poolerKey).Shape);
        using torch.Tensor fromBin = bin.Read(poolerKey);
        using torch.Tensor fromSafeTensors = safeTensors.Read(poolerKey);
        TensorAssert.AreEqual(fromSafeTensors, fromBin);
    }

    [TestMethod]
    public void Read_ExpectedSafeTensors_KeepsTokenIdsIntegerAndReadsActivations()
    {
        using var reader = SafeTensorsReader.Open(Path.Combine(SharedData.Fixture("roberta-tiny"), "expected.safetensors"));

        TensorInfo ids = reader.GetInfo("input_ids");
        Assert.AreEqual(TensorDType.I64, ids.DType);
        using torch.Tensor inputIds = reader.Read("input_ids");
        Assert.AreEqual(torch.ScalarType.Int64, inputIds.dtype, "the float32 default leaves integer tensors alone");
        CollectionAssert.AreEqual(ids.Shape, inputIds.shape);
        Assert.AreEqual(0L, inputIds[0, 0].item<long>(), "RoBERTa rows start with <s> = 0");

        using torch.Tensor hidden = reader.Read("last_hidden_state");
        Assert.AreEqual(torch.ScalarType.Float32, hidden.dtype);
        CollectionAssert.AreEqual(new long[] { 3, ids.Shape[1], 32 }, hidden.shape);
        using torch.Tensor finite = hidden.isfinite().all();
        Assert.IsTrue(finite.item<bool>());
    }

    [TestMethod]
    public void Read_UnknownName_ThrowsKeyNotFoundNamingKey()
    {
        using var bin = PyTorchCheckpointReader.Open(Path.Combine(SharedData.Fixture("t5-tiny-random"), "pytorch_model.bin"));
        using var safeTensors = SafeTensorsReader.Open(Path.Combine(SharedData.Fixture("t5-tiny-random"), "model.safetensors"));

        foreach (ITensorReader reader in new ITensorReader[] { bin, safeTensors })
        {
            var error = Assert.ThrowsExactly<KeyNotFoundException>(() => reader.Read("no.such.weight"));
            StringAssert.Contains(error.Message, "'no.such.weight'");
            Assert.ThrowsExactly<KeyNotFoundException>(() => reader.GetInfo("no.such.weight"));
        }
    }
}
