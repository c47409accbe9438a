using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

[TestClass]
public sealed class HuggingFaceHubOfflineTests
{
    private HubTestBed bed = null!;

    [TestInitialize]
    public void StartServer() => bed = new HubTestBed();

    [TestCleanup]
    public async Task StopServer() => await bed.DisposeAsync();

    [TestMethod]
    public async Task DownloadAsync_OfflineAndCached_ReturnsSnapshotWithoutRequest()
    {
        bed.AddFixture();
        using (var online = new HuggingFaceHub(bed.Options()))
            await online.DownloadAsync(HubTestBed.RepoId, ["config.json", "model.safetensors"]);
        int requests = bed.Server.RequestCount;
        using var offline = new HuggingFaceHub(bed.Options(("HF_HUB_OFFLINE", "1")));

        string folder = await offline.DownloadAsync(HubTestBed.RepoId, ["model.safetensors"]);

        Assert.AreEqual(requests, bed.Server.RequestCount);
        CollectionAssert.AreEqual(HubTestBed.Model, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
    }

    [TestMethod]
    public async Task DownloadAsync_OfflineAndNothingCached_ThrowsNotCachedWithoutRequest()
    {
        bed.AddFixture();
        using var offline = new HuggingFaceHub(bed.Options(("HF_HUB_OFFLINE", "true")));

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => offline.DownloadAsync(HubTestBed.RepoId, ["config.json"]));

        StringAssert.Contains(error.Message, "not in the cache");
        StringAssert.Contains(error.Message, "offline mode is on");
        StringAssert.Contains(error.Message, "'config.json'");
        Assert.AreEqual(0, bed.Server.RequestCount);
    }

    [TestMethod]
    public async Task DownloadAsync_OfflineAndFileMissingFromCachedSnapshot_ThrowsNamingExpectedPath()
    {
        bed.AddFixture();
        using (var online = new HuggingFaceHub(bed.Options()))
            await online.DownloadAsync(HubTestBed.RepoId, ["config.json"]);
        int requests = bed.Server.RequestCount;
        using var offline = new HuggingFaceHub(bed.Options(("HF_HUB_OFFLINE", "1")));

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(
            () => offline.DownloadAsync(HubTestBed.RepoId, ["config.json", "model.safetensors"]));

        StringAssert.Contains(error.Message, Path.Combine("snapshots", HubTestBed.Commit, "model.safetensors"));
        Assert.AreEqual(requests, bed.Server.RequestCount);
    }

    [TestMethod]
    public async Task DownloadAsync_OfflineWithCommitHashRevision_FindsSnapshotWithoutRef()
    {
        bed.AddFixture();
        using (var online = new HuggingFaceHub(bed.Options()))
            await online.DownloadAsync(HubTestBed.RepoId, ["config.json"]);
        using var offline = new HuggingFaceHub(bed.Options(("HF_HUB_OFFLINE", "1")));

        string folder = await offline.DownloadAsync($"{HubTestBed.RepoId}@{HubTestBed.Commit}", ["config.json"]);

        Assert.AreEqual(Path.Combine(bed.RepoFolder, "snapshots", HubTestBed.Commit), folder);
    }

    [TestMethod]
    public async Task DownloadModelAsync_OfflineAndNothingCached_ThrowsNotCached()
    {
        using var offline = new HuggingFaceHub(bed.Options(("HF_HUB_OFFLINE", "1")));

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => offline.DownloadModelAsync(HubTestBed.RepoId));

        StringAssert.Contains(error.Message, "offline mode is on");
    }
}
