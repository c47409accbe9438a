using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

[TestClass]
public sealed class HuggingFaceHubDownloadTests
{
    private static readonly string[] FixtureFiles = ["config.json", "model.safetensors"];

    private HubTestBed bed = null!;

    [TestInitialize]
    public void StartServer() => bed = new HubTestBed();

    [TestCleanup]
    public async Task StopServer() => await bed.DisposeAsync();

    [TestMethod]
    public async Task DownloadAsync_FreshCache_WritesPythonLayoutWithIdenticalBytes()
    {
        bed.AddFixture();
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadAsync(HubTestBed.RepoId, FixtureFiles);

        Assert.AreEqual(Path.Combine(bed.RepoFolder, "snapshots", HubTestBed.Commit), folder);
        CollectionAssert.AreEqual(HubTestBed.Config, File.ReadAllBytes(Path.Combine(folder, "config.json")));
        CollectionAssert.AreEqual(HubTestBed.Model, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        string configBlob = LocalHubServer.GitBlobSha1(HubTestBed.Config);
        string modelBlob = LocalHubServer.Sha256(HubTestBed.Model);
        Assert.AreEqual("../../blobs/" + configBlob, new FileInfo(Path.Combine(folder, "config.json")).LinkTarget);
        Assert.AreEqual("../../blobs/" + modelBlob, new FileInfo(Path.Combine(folder, "model.safetensors")).LinkTarget);
        CollectionAssert.AreEquivalent(new[] { configBlob, modelBlob },
            Directory.GetFiles(Path.Combine(bed.RepoFolder, "blobs")).Select(Path.GetFileName).ToArray());
        Assert.AreEqual(HubTestBed.Commit, File.ReadAllText(Path.Combine(bed.RepoFolder, "refs", "main")));
    }

    [TestMethod]
    public async Task DownloadAsync_TimeoutBeyondTheTimersRange_MeansNoTimeout()
    {
        bed.AddFixture();
        // 10 million seconds (116 days), as users write "never"; timers take at most about 49.7 days.
        using var hub = new HuggingFaceHub(bed.Options(("HF_HUB_DOWNLOAD_TIMEOUT", "10000000")));

        string folder = await hub.DownloadAsync(HubTestBed.RepoId, FixtureFiles);

        CollectionAssert.AreEqual(HubTestBed.Model, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
    }

    [TestMethod]
    public async Task DownloadAsync_SecondCall_MakesNoRequest()
    {
        bed.AddFixture();
        using var hub = new HuggingFaceHub(bed.Options());
        string first = await hub.DownloadAsync(HubTestBed.RepoId, FixtureFiles);
        int requestsAfterFirst = bed.Server.RequestCount;

        using var secondHub = new HuggingFaceHub(bed.Options());
        string second = await secondHub.DownloadAsync(HubTestBed.RepoId, FixtureFiles);

        Assert.AreEqual(first, second);
        Assert.AreEqual(requestsAfterFirst, bed.Server.RequestCount);
    }

    [TestMethod]
    public async Task DownloadAsync_CommitHashRevision_DownloadsThatCommitWithoutRef()
    {
        byte[] olderConfig = "{\"older\": true}"u8.ToArray();
        bed.AddFixture().WithCommit(HubTestBed.OlderCommit, new Dictionary<string, byte[]> { ["config.json"] = olderConfig });
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadAsync($"{HubTestBed.RepoId}@{HubTestBed.OlderCommit}", ["config.json"]);
        int requests = bed.Server.RequestCount;
        string again = await hub.DownloadAsync($"{HubTestBed.RepoId}@{HubTestBed.OlderCommit}", ["config.json"]);

        Assert.AreEqual(Path.Combine(bed.RepoFolder, "snapshots", HubTestBed.OlderCommit), folder);
        CollectionAssert.AreEqual(olderConfig, File.ReadAllBytes(Path.Combine(folder, "config.json")));
        StringAssert.Contains(bed.Server.Requests[0].Path, $"/resolve/{HubTestBed.OlderCommit}/config.json");
        Assert.IsFalse(Directory.Exists(Path.Combine(bed.RepoFolder, "refs")), "a commit hash needs no ref");
        Assert.AreEqual(folder, again);
        Assert.AreEqual(requests, bed.Server.RequestCount);
    }

    [TestMethod]
    public async Task DownloadAsync_NestedFileName_CreatesSubfolderWithRelativeLink()
    {
        byte[] onnx = [1, 2, 3, 4];
        bed.Server.Add(new FakeHubRepository(HubTestBed.RepoId)
            .WithCommit(HubTestBed.Commit, new Dictionary<string, byte[]> { ["onnx/model.onnx"] = onnx }, "main"));
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadAsync(HubTestBed.RepoId, ["onnx/model.onnx"]);

        string file = Path.Combine(folder, "onnx", "model.onnx");
        CollectionAssert.AreEqual(onnx, File.ReadAllBytes(file));
        Assert.AreEqual("../../../blobs/" + LocalHubServer.GitBlobSha1(onnx), new FileInfo(file).LinkTarget);
    }

    [TestMethod]
    public async Task DownloadAsync_TokenSet_SendsBearerHeader()
    {
        bed.AddFixture(requiredToken: "hf_test_token_123");
        using var hub = new HuggingFaceHub(bed.Options(("HF_TOKEN", "hf_test_token_123")));

        string folder = await hub.DownloadAsync(HubTestBed.RepoId, FixtureFiles);

        CollectionAssert.AreEqual(HubTestBed.Model, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        Assert.IsTrue(bed.Server.Requests.Where(request => request.Path.Contains("/resolve/", StringComparison.Ordinal))
            .All(request => request.Authorization == "Bearer hf_test_token_123"));
    }

    [TestMethod]
    public async Task DownloadAsync_NoToken_SendsNoAuthorizationHeader()
    {
        bed.AddFixture();
        using var hub = new HuggingFaceHub(bed.Options());

        await hub.DownloadAsync(HubTestBed.RepoId, FixtureFiles);

        Assert.IsTrue(bed.Server.Requests.All(request => request.Authorization is null));
    }

    [TestMethod]
    public async Task DownloadAsync_WithProgress_ReportsBytesUpToTotal()
    {
        bed.AddFixture();
        using var hub = new HuggingFaceHub(bed.Options());
        var progress = new RecordingProgress();

        await hub.DownloadAsync(HubTestBed.RepoId, ["model.safetensors"], progress);

        HubDownloadProgress[] reports = progress.Reports.ToArray();
        Assert.IsTrue(reports.Length > 2);
        Assert.AreEqual(new HubDownloadProgress("model.safetensors", 0, HubTestBed.Model.Length), reports[0]);
        Assert.AreEqual(new HubDownloadProgress("model.safetensors", HubTestBed.Model.Length, HubTestBed.Model.Length), reports[^1]);
        Assert.IsTrue(reports.Zip(reports.Skip(1)).All(pair => pair.First.BytesDownloaded <= pair.Second.BytesDownloaded));
    }

    [TestMethod]
    public async Task DownloadAsync_ServerWithoutCommitHeader_NamesSnapshotAfterRevision()
    {
        bed.AddFixture(sendsCommitHeader: false);
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]);
        int requests = bed.Server.RequestCount;
        await hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]);

        Assert.AreEqual(Path.Combine(bed.RepoFolder, "snapshots", "main"), folder);
        CollectionAssert.AreEqual(HubTestBed.Config, File.ReadAllBytes(Path.Combine(folder, "config.json")));
        Assert.IsFalse(Directory.Exists(Path.Combine(bed.RepoFolder, "refs")));
        Assert.AreEqual(requests, bed.Server.RequestCount);
    }

    [TestMethod]
    public async Task DownloadAsync_SameContentInTwoCommits_SharesOneBlob()
    {
        bed.AddFixture().WithCommit(HubTestBed.OlderCommit, new Dictionary<string, byte[]> { ["model.safetensors"] = HubTestBed.Model });
        using var hub = new HuggingFaceHub(bed.Options());

        string older = await hub.DownloadAsync($"{HubTestBed.RepoId}@{HubTestBed.OlderCommit}", ["model.safetensors"]);
        string latest = await hub.DownloadAsync(HubTestBed.RepoId, ["model.safetensors"]);

        Assert.AreNotEqual(older, latest);
        Assert.AreEqual(1, Directory.GetFiles(Path.Combine(bed.RepoFolder, "blobs")).Length);
        Assert.AreEqual(1, bed.Server.Requests.Count(request => request.Path.StartsWith("/cdn/", StringComparison.Ordinal)));
        CollectionAssert.AreEqual(HubTestBed.Model, File.ReadAllBytes(Path.Combine(latest, "model.safetensors")));
    }

    [TestMethod]
    public async Task DownloadAsync_PullRequestRevision_EscapesRevisionAndWritesNestedRef()
    {
        bed.Server.Add(new FakeHubRepository(HubTestBed.RepoId)
            .WithCommit(HubTestBed.Commit, new Dictionary<string, byte[]> { ["config.json"] = HubTestBed.Config }, "refs/pr/1"));
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadAsync(HubTestBed.RepoId + "@refs/pr/1", ["config.json"]);

        StringAssert.Contains(bed.Server.Requests[0].Path, "/resolve/refs%2Fpr%2F1/config.json");
        Assert.AreEqual(HubTestBed.Commit, File.ReadAllText(Path.Combine(bed.RepoFolder, "refs", "refs", "pr", "1")));
        Assert.IsTrue(File.Exists(Path.Combine(folder, "config.json")));
    }

    [TestMethod]
    public async Task DownloadAsync_BareModelName_UsesSingleNameCacheFolder()
    {
        bed.Server.Add(new FakeHubRepository("roberta-tiny")
            .WithCommit(HubTestBed.Commit, new Dictionary<string, byte[]> { ["config.json"] = HubTestBed.Config }, "main"));
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadAsync("roberta-tiny", ["config.json"]);

        Assert.AreEqual(Path.Combine(bed.CacheDirectory, "models--roberta-tiny", "snapshots", HubTestBed.Commit), folder);
        Assert.AreEqual("/roberta-tiny/resolve/main/config.json", bed.Server.Requests[0].Path);
    }

    [TestMethod]
    public async Task DownloadAsync_BrokenSnapshotLink_DownloadsAgain()
    {
        bed.AddFixture();
        using var hub = new HuggingFaceHub(bed.Options());
        string folder = await hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]);
        File.Delete(Path.Combine(bed.RepoFolder, "blobs", LocalHubServer.GitBlobSha1(HubTestBed.Config)));

        await hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]);

        CollectionAssert.AreEqual(HubTestBed.Config, File.ReadAllBytes(Path.Combine(folder, "config.json")));
        Assert.AreEqual(2, bed.Server.RequestCount);
    }

    [TestMethod]
    public async Task DownloadAsync_RenamedRepository_FollowsRelativeRedirectAndCachesUnderRequestedName()
    {
        bed.AddFixture();
        bed.Server.Rename("old-org/roberta-tiny", HubTestBed.RepoId);
        using var hub = new HuggingFaceHub(bed.Options());

        string folder = await hub.DownloadAsync("old-org/roberta-tiny", FixtureFiles);

        Assert.AreEqual(Path.Combine(bed.CacheDirectory, "models--old-org--roberta-tiny", "snapshots", HubTestBed.Commit), folder);
        CollectionAssert.AreEqual(HubTestBed.Model, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        Assert.AreEqual("../../blobs/" + LocalHubServer.Sha256(HubTestBed.Model), new FileInfo(Path.Combine(folder, "model.safetensors")).LinkTarget);
    }

    [TestMethod]
    public async Task DownloadAsync_InjectedHandler_IsUsedAndLeftUndisposed()
    {
        bed.AddFixture();
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        using (var hub = new HuggingFaceHub(bed.Options(), handler))
            await hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]);

        using var client = new HttpClient(handler, disposeHandler: false);
        using HttpResponseMessage response = await client.GetAsync(new Uri(bed.Server.Endpoint, HubTestBed.RepoId + "/resolve/main/config.json"));

        Assert.AreEqual(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(2, bed.Server.RequestCount);
    }
}
