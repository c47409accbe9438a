using System.Net;
using System.Net.Sockets;
using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

[TestClass]
[TestCategory("Reliability")]
public sealed class HuggingFaceHubFailureTests
{
    private const string Secret = "hf_SuperSecretToken42";

    private HubTestBed bed = null!;

    [TestInitialize]
    public void StartServer() => bed = new HubTestBed();

    [TestCleanup]
    public async Task StopServer() => await bed.DisposeAsync();

    [TestMethod]
    [DataRow("config.json", DisplayName = "small file served by the hub")]
    [DataRow("model.safetensors", DisplayName = "LFS file served after a redirect")]
    public async Task DownloadAsync_TruncatedResponse_ThrowsAndLeavesCacheEmpty(string file)
    {
        bed.AddFixture().SetFault(file, FakeHubFault.Truncate);
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, [file]));

        StringAssert.Contains(error.Message, file);
        CollectionAssert.AreEqual(Array.Empty<string>(), bed.CacheListing());
    }

    [TestMethod]
    public async Task DownloadAsync_ServerError_ThrowsWithStatusAndLeavesCacheEmpty()
    {
        bed.AddFixture().SetFault("config.json", FakeHubFault.ServerError);
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]));

        Assert.AreEqual(HttpStatusCode.InternalServerError, error.StatusCode);
        StringAssert.Contains(error.Message, "HTTP 500");
        CollectionAssert.AreEqual(Array.Empty<string>(), bed.CacheListing());
    }

    [TestMethod]
    [DataRow(FakeHubFault.StallBody)]
    [DataRow(FakeHubFault.StallHeaders)]
    public async Task DownloadAsync_ServerStalls_TimesOutAndLeavesCacheEmpty(FakeHubFault fault)
    {
        bed.AddFixture().SetFault("model.safetensors", fault);
        using var hub = new HuggingFaceHub(bed.Options(("HF_HUB_DOWNLOAD_TIMEOUT", "0.3")));

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["model.safetensors"]));

        StringAssert.Contains(error.Message, "timed out");
        CollectionAssert.AreEqual(Array.Empty<string>(), bed.CacheListing());
    }

    [TestMethod]
    public async Task DownloadAsync_CancelledMidFile_ThrowsOperationCanceledAndLeavesCacheEmpty()
    {
        bed.AddFixture().SetFault("model.safetensors", FakeHubFault.StallBody);
        using var hub = new HuggingFaceHub(bed.Options());
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(report =>
        {
            if (report.BytesDownloaded > 0)
                cancellation.Cancel();
        });

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => hub.DownloadAsync(HubTestBed.RepoId, ["model.safetensors"], progress, cancellation.Token));

        CollectionAssert.AreEqual(Array.Empty<string>(), bed.CacheListing());
    }

    [TestMethod]
    public async Task DownloadAsync_AlreadyCancelled_ThrowsWithoutRequest()
    {
        bed.AddFixture();
        using var hub = new HuggingFaceHub(bed.Options());

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => hub.DownloadAsync(HubTestBed.RepoId, ["config.json"], new CancellationToken(canceled: true)));

        Assert.AreEqual(0, bed.Server.RequestCount);
    }

    [TestMethod]
    public async Task DownloadAsync_Sha256Mismatch_ThrowsAndLeavesCacheEmpty()
    {
        bed.AddFixture().SetFault("config.json", FakeHubFault.WrongChecksum);
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]));

        StringAssert.Contains(error.Message, "sha256");
        StringAssert.Contains(error.Message, LocalHubServer.Sha256(HubTestBed.Config));
        CollectionAssert.AreEqual(Array.Empty<string>(), bed.CacheListing());
    }

    [TestMethod]
    public async Task DownloadAsync_FailureAfterEarlierDownload_LeavesCacheExactlyAsBefore()
    {
        bed.AddFixture().SetFault("model.safetensors", FakeHubFault.Truncate);
        using var hub = new HuggingFaceHub(bed.Options());
        await hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]);
        string[] before = bed.CacheListing();

        await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json", "model.safetensors"]));

        CollectionAssert.AreEqual(before, bed.CacheListing());
    }

    [TestMethod]
    public async Task DownloadAsync_UnsafeETag_ThrowsAndWritesNothing()
    {
        bed.AddFixture().SetFault("config.json", FakeHubFault.UnsafeETag);
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]));

        StringAssert.Contains(error.Message, "ETag");
        CollectionAssert.AreEqual(Array.Empty<string>(), bed.CacheListing());
        Assert.IsFalse(File.Exists(Path.Combine(bed.CacheDirectory, "evil")));
    }

    [TestMethod]
    public async Task DownloadAsync_GatedRepositoryWithoutToken_ThrowsUnauthorizedMentioningToken()
    {
        bed.AddFixture(requiredToken: Secret);
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]));

        Assert.AreEqual(HttpStatusCode.Unauthorized, error.StatusCode);
        StringAssert.Contains(error.Message, "HF_TOKEN");
        StringAssert.Contains(error.Message, HubTestBed.RepoId);
    }

    [TestMethod]
    public async Task DownloadAsync_WrongToken_NeverRevealsToken()
    {
        bed.AddFixture(requiredToken: "hf_the_right_one");
        var options = bed.Options(("HF_TOKEN", Secret));
        using var hub = new HuggingFaceHub(options);

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]));

        Assert.AreEqual(HttpStatusCode.Forbidden, error.StatusCode);
        StringAssert.Contains(error.Message, "gated");
        // The server echoed the credentials it got; the client redacts them.
        Assert.AreEqual("Bearer " + Secret, bed.Server.Requests[0].Authorization);
        StringAssert.Contains(error.Message, "***");
        Assert.IsFalse(error.ToString().Contains(Secret, StringComparison.Ordinal), error.ToString());
        Assert.IsFalse(options.ToString().Contains(Secret, StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task DownloadAsync_TimeoutWithToken_NeverRevealsToken()
    {
        bed.AddFixture(requiredToken: Secret).SetFault("config.json", FakeHubFault.StallHeaders);
        using var hub = new HuggingFaceHub(bed.Options(("HF_TOKEN", Secret), ("HF_HUB_DOWNLOAD_TIMEOUT", "0.3")));

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]));

        Assert.IsFalse(error.ToString().Contains(Secret, StringComparison.Ordinal), error.ToString());
    }

    [TestMethod]
    public async Task DownloadAsync_MissingFile_ThrowsNotFoundNamingRepoRevisionAndFile()
    {
        bed.AddFixture();
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["tokenizer.json"]));

        Assert.AreEqual(HttpStatusCode.NotFound, error.StatusCode);
        StringAssert.Contains(error.Message, "'tokenizer.json'");
        StringAssert.Contains(error.Message, "'" + HubTestBed.RepoId + "'");
        StringAssert.Contains(error.Message, "'main'");
    }

    [TestMethod]
    public async Task DownloadAsync_UnknownRevision_ThrowsRevisionNotFound()
    {
        bed.AddFixture();
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId + "@v9", ["config.json"]));

        StringAssert.Contains(error.Message, "revision 'v9' was not found");
    }

    [TestMethod]
    public async Task DownloadAsync_UnknownRepository_ThrowsRepositoryNotFound()
    {
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync("nobody/nothing", ["config.json"]));

        StringAssert.Contains(error.Message, "repository 'nobody/nothing' was not found");
    }

    [TestMethod]
    public async Task DownloadAsync_ServerUnreachable_ThrowsSuggestingOfflineMode()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var options = bed.Options(("HF_ENDPOINT", $"http://127.0.0.1:{port}"));
        using var hub = new HuggingFaceHub(options);

        var error = await Assert.ThrowsExactlyAsync<HubDownloadException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]));

        StringAssert.Contains(error.Message, "HF_HUB_OFFLINE");
        CollectionAssert.AreEqual(Array.Empty<string>(), bed.CacheListing());
    }
}
