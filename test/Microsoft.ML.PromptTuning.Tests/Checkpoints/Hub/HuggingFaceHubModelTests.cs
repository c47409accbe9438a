using System.Text;
using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

[TestClass]
public sealed class HuggingFaceHubModelTests
{
    private HubTestBed bed = null!;

    [TestInitialize]
    public void StartServer() => bed = new HubTestBed();

    [TestCleanup]
    public async Task StopServer() => await bed.DisposeAsync();

    [TestMethod]
    public async Task DownloadModelAsync_SafeTensorsRepository_FetchesConfigWeightsAndExistingTokenizerFiles()
    {
        ServeFiles(("config.json", HubTestBed.Config), ("model.safetensors", HubTestBed.Model),
            ("vocab.json", "{}"u8.ToArray()), ("merges.txt", "#version: 0.2\n"u8.ToArray()));
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadModelAsync(HubTestBed.RepoId);

        CollectionAssert.AreEquivalent(new[] { "config.json", "model.safetensors", "vocab.json", "merges.txt" },
            Directory.GetFiles(folder).Select(Path.GetFileName).ToArray());
        CollectionAssert.AreEqual(HubTestBed.Model, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        Assert.IsFalse(bed.Server.Requests.Any(request => request.Path.EndsWith("pytorch_model.bin", StringComparison.Ordinal)));
        Assert.IsTrue(File.Exists(Path.Combine(bed.RepoFolder, ".no_exist", HubTestBed.Commit, "tokenizer.json")));
    }

    [TestMethod]
    public async Task DownloadModelAsync_SecondCall_MakesNoRequest()
    {
        ServeFiles(("config.json", HubTestBed.Config), ("model.safetensors", HubTestBed.Model), ("vocab.txt", "[PAD]\n"u8.ToArray()));
        using var hub = new HuggingFaceHub(bed.Options());
        string first = await hub.DownloadModelAsync(HubTestBed.RepoId);
        int requests = bed.Server.RequestCount;

        string second = await hub.DownloadModelAsync(HubTestBed.RepoId);

        Assert.AreEqual(first, second);
        Assert.AreEqual(requests, bed.Server.RequestCount);
    }

    [TestMethod]
    [DataRow("model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors")]
    [DataRow("pytorch_model.bin.index.json", "pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin")]
    public async Task DownloadModelAsync_ShardedWeights_FetchesIndexAndEveryShard(string indexFile, string firstShard, string secondShard)
    {
        byte[] first = [1, 2, 3];
        byte[] second = [4, 5, 6];
        byte[] index = Encoding.UTF8.GetBytes($$$"""
            {"metadata": {"total_size": 6}, "weight_map": {
              "a.weight": "{{{firstShard}}}",
              "b.weight": "{{{secondShard}}}",
              "c.weight": "{{{firstShard}}}"}}
            """);
        ServeFiles(("config.json", HubTestBed.Config), (indexFile, index), (firstShard, first), (secondShard, second));
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadModelAsync(HubTestBed.RepoId);

        CollectionAssert.AreEqual(first, File.ReadAllBytes(Path.Combine(folder, firstShard)));
        CollectionAssert.AreEqual(second, File.ReadAllBytes(Path.Combine(folder, secondShard)));
        Assert.IsTrue(File.Exists(Path.Combine(folder, indexFile)));
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public async Task DownloadModelAsync_IndexNamingUnsafeShard_ThrowsNamingIndex()
    {
        byte[] index = Encoding.UTF8.GetBytes("""{"weight_map": {"a.weight": "../../../outside.safetensors"}}""");
        ServeFiles(("config.json", HubTestBed.Config), ("model.safetensors.index.json", index));
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadModelAsync(HubTestBed.RepoId));

        StringAssert.Contains(error.Message, "model.safetensors.index.json");
        StringAssert.Contains(error.Message, "'..'");
        Assert.IsFalse(bed.Server.Requests.Any(request => request.Path.Contains("outside", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task DownloadModelAsync_OnlyPyTorchWeights_FallsBackToBin()
    {
        byte[] weights = File.ReadAllBytes(SharedData.Fixture("roberta-tiny/pytorch_model.bin"));
        ServeFiles(("config.json", HubTestBed.Config), ("pytorch_model.bin", weights));
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadModelAsync(HubTestBed.RepoId);

        CollectionAssert.AreEqual(weights, File.ReadAllBytes(Path.Combine(folder, "pytorch_model.bin")));
        Assert.IsFalse(File.Exists(Path.Combine(folder, "model.safetensors")));
    }

    [TestMethod]
    public async Task DownloadModelAsync_NoWeights_ThrowsNamingTriedFiles()
    {
        ServeFiles(("config.json", HubTestBed.Config));
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadModelAsync(HubTestBed.RepoId));

        StringAssert.Contains(error.Message, "model.safetensors");
        StringAssert.Contains(error.Message, "pytorch_model.bin");
        StringAssert.Contains(error.Message, "pytorch_model.bin.index.json");
        StringAssert.Contains(error.Message, HubTestBed.RepoId);
    }

    [TestMethod]
    public async Task DownloadModelAsync_MissingConfig_ThrowsNotFound()
    {
        ServeFiles(("model.safetensors", HubTestBed.Model));
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadModelAsync(HubTestBed.RepoId));

        Assert.AreEqual(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        StringAssert.Contains(error.Message, "config.json");
    }

    [TestMethod]
    public async Task DownloadModelAsync_Offline_UsesCachedFilesAndSkipsMissingOptionalOnes()
    {
        ServeFiles(("config.json", HubTestBed.Config), ("model.safetensors", HubTestBed.Model));
        using (var online = new HuggingFaceHub(bed.Options()))
            await online.DownloadModelAsync(HubTestBed.RepoId);
        int requests = bed.Server.RequestCount;
        using var offline = new HuggingFaceHub(bed.Options(("HF_HUB_OFFLINE", "1")));

        string folder = await offline.DownloadModelAsync(HubTestBed.RepoId);

        Assert.AreEqual(requests, bed.Server.RequestCount);
        Assert.IsTrue(File.Exists(Path.Combine(folder, "model.safetensors")));
    }

    private void ServeFiles(params (string Name, byte[] Content)[] files) =>
        bed.Server.Add(new FakeHubRepository(HubTestBed.RepoId)
            .WithCommit(HubTestBed.Commit, files.ToDictionary(file => file.Name, file => file.Content), "main"));
}
