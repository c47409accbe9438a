using System.Text.Json;
using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>Sharded saves and Hugging Face shard indexes, including indexes that point outside their folder.</summary>
[TestClass]
public sealed class ShardedCheckpointTests
{
    private static string FixtureFolder => SharedData.Fixture("roberta-tiny");

    [TestMethod]
    public void SaveSharded_FixtureWeights_WritesShardsAndIndexThatReadBackIdentically()
    {
        using var folder = new TempFolder();
        using var original = SafeTensorsReader.Open(Path.Combine(FixtureFolder, "model.safetensors"));
        var tensors = original.Names.Select(name => new KeyValuePair<string, torch.Tensor>(name, original.Read(name, dtype: null))).ToList();
        try
        {
            IReadOnlyList<string> written = SafeTensors.SaveSharded(folder.Path, tensors, maxShardBytes: 1 << 20,
                new Dictionary<string, string> { ["format"] = "pt" });

            // The 6.4 MB word embedding exceeds the 1 MB limit and gets a shard of its own.
            Assert.IsTrue(written.Count > 3, $"expected several shards, got {written.Count - 1}");
            Assert.AreEqual(CheckpointFiles.SafeTensorsIndex, Path.GetFileName(written[^1]));
            Assert.AreEqual($"model-00001-of-{written.Count - 1:D5}.safetensors", Path.GetFileName(written[0]));
            using ITensorReader sharded = CheckpointFiles.OpenWeights(folder.Path);
            Assert.IsInstanceOfType<ShardedTensorReader>(sharded);
            Assert.AreEqual(written.Count - 1, ((ShardedTensorReader)sharded).ShardCount);
            CollectionAssert.AreEquivalent(original.Names.ToArray(), sharded.Names.ToArray());
            foreach ((string name, torch.Tensor expected) in tensors)
            {
                using torch.Tensor actual = sharded.Read(name, dtype: null);
                TensorAssert.AreEqual(expected, actual, name);
            }
            using JsonDocument index = JsonDocument.Parse(File.ReadAllText(written[^1]));
            long totalSize = tensors.Sum(pair => pair.Value.numel() * pair.Value.element_size());
            Assert.AreEqual(totalSize, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        }
        finally
        {
            tensors.ForEach(pair => pair.Value.Dispose());
        }
    }

    [TestMethod]
    public void SaveSharded_EverythingFitsOneShard_WritesSingleModelFile()
    {
        using var folder = new TempFolder();
        using var a = torch.ones(4);
        using var b = torch.zeros(2, 2);

        IReadOnlyList<string> written = SafeTensors.SaveSharded(folder.Path, [new("a", a), new("b", b)], maxShardBytes: 1024);

        CollectionAssert.AreEqual(new[] { Path.Combine(folder.Path, CheckpointFiles.SafeTensorsWeights) }, written.ToArray());
        CollectionAssert.AreEqual(written.ToArray(), Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void SaveSharded_StaleSingleFile_IsRemovedSoTheIndexIsRead()
    {
        using var folder = new TempFolder();
        using var stale = torch.ones(1);
        SafeTensors.Save(Path.Combine(folder.Path, CheckpointFiles.SafeTensorsWeights), [new("stale", stale)]);
        using var a = torch.ones(4);
        using var b = torch.zeros(4);

        SafeTensors.SaveSharded(folder.Path, [new("a", a), new("b", b)], maxShardBytes: 16);

        Assert.IsFalse(File.Exists(Path.Combine(folder.Path, CheckpointFiles.SafeTensorsWeights)));
        using ITensorReader reader = CheckpointFiles.OpenWeights(folder.Path);
        CollectionAssert.AreEquivalent(new[] { "a", "b" }, reader.Names.ToArray());
    }

    [TestMethod]
    public void SaveSharded_NonPositiveLimit_Throws()
    {
        using var folder = new TempFolder();
        using var a = torch.ones(4);

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SafeTensors.SaveSharded(folder.Path, [new("a", a)], maxShardBytes: 0));
    }

    [TestMethod]
    [DataRow("../model.safetensors")]
    [DataRow("/etc/passwd")]
    [DataRow("sub/model.safetensors")]
    [DataRow("..")]
    [TestCategory("Reliability")]
    public void Open_IndexNamingPathOutsideFolder_ThrowsNamingShard(string shard)
    {
        using var folder = new TempFolder();
        string index = WriteIndex(folder, new Dictionary<string, string> { ["w"] = shard });

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => ShardedTensorReader.Open(index));

        StringAssert.Contains(error.Message, $"shard '{shard}' is not a plain file name");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_IndexWithMissingShard_ThrowsNamingShard()
    {
        using var folder = new TempFolder();
        string index = WriteIndex(folder, new Dictionary<string, string> { ["w"] = "model-00001-of-00002.safetensors" });

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => ShardedTensorReader.Open(index));

        StringAssert.Contains(error.Message, "shard 'model-00001-of-00002.safetensors' listed in the index does not exist");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_IndexPuttingKeyInWrongShard_ThrowsNamingKey()
    {
        using var folder = new TempFolder();
        using var a = torch.ones(2);
        SafeTensors.Save(folder.File("model-00001-of-00001.safetensors"), [new("a", a)]);
        string index = WriteIndex(folder, new Dictionary<string, string> { ["a"] = "model-00001-of-00001.safetensors", ["b"] = "model-00001-of-00001.safetensors" });

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => ShardedTensorReader.Open(index));

        StringAssert.Contains(error.Message, "puts 'b' in shard 'model-00001-of-00001.safetensors', which does not hold it");
    }

    [TestMethod]
    [DataRow("{\"metadata\": {}}", "no 'weight_map' object")]
    [DataRow("{\"weight_map\": {\"a\": 3}}", "not a file name")]
    [DataRow("{\"weight_map\": ", "not valid JSON")]
    [TestCategory("Reliability")]
    public void Open_MalformedIndex_ThrowsNamingProblem(string json, string problem)
    {
        using var folder = new TempFolder();
        string index = folder.File(CheckpointFiles.SafeTensorsIndex);
        File.WriteAllText(index, json);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => ShardedTensorReader.Open(index));

        StringAssert.Contains(error.Message, problem);
        Assert.AreEqual(index, error.FilePath);
    }

    [TestMethod]
    public void OpenWeights_ShardedPyTorchIndex_ReadsBinShards()
    {
        using var folder = new TempFolder();
        string fixtureBin = Path.Combine(SharedData.Fixture("t5-tiny-random"), "pytorch_model.bin");
        File.Copy(fixtureBin, folder.File("pytorch_model-00001-of-00001.bin"));
        using var original = PyTorchCheckpointReader.Open(fixtureBin);
        WriteIndex(folder, original.Names.ToDictionary(name => name, _ => "pytorch_model-00001-of-00001.bin"), CheckpointFiles.PyTorchIndex);

        using ITensorReader reader = CheckpointFiles.OpenWeights(folder.Path);

        Assert.IsInstanceOfType<ShardedTensorReader>(reader);
        CollectionAssert.AreEqual(original.Names.ToArray(), reader.Names.ToArray());
        using torch.Tensor expected = original.Read("lm_head.weight");
        using torch.Tensor actual = reader.Read("lm_head.weight");
        TensorAssert.AreEqual(expected, actual);
    }

    private static string WriteIndex(TempFolder folder, Dictionary<string, string> weightMap, string fileName = CheckpointFiles.SafeTensorsIndex)
    {
        string path = folder.File(fileName);
        File.WriteAllText(path, JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = weightMap }));
        return path;
    }
}
