using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

[TestClass]
[TestCategory("Reliability")]
public sealed class HubFileNameTests
{
    private HubTestBed bed = null!;

    [TestInitialize]
    public void StartServer() => bed = new HubTestBed();

    [TestCleanup]
    public async Task StopServer() => await bed.DisposeAsync();

    [TestMethod]
    [DataRow("../secret", "'..'")]
    [DataRow("onnx/../../../secret", "'..'")]
    [DataRow("/etc/passwd", "absolute")]
    [DataRow("C:/Windows/win.ini", "absolute")]
    [DataRow("onnx\\model.onnx", "backslash")]
    [DataRow("config.json\u0000.txt", "control character")]
    [DataRow("onnx//model.onnx", "empty path segment")]
    [DataRow("onnx/", "empty path segment")]
    [DataRow("./config.json", "'.'")]
    [DataRow("", "empty")]
    public async Task DownloadAsync_UnsafeFileName_ThrowsBeforeAnyRequest(string fileName, string problem)
    {
        bed.AddFixture();
        using var hub = new HuggingFaceHub(bed.Options());

        var error = await Assert.ThrowsExactlyAsync<ArgumentException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json", fileName]));

        StringAssert.Contains(error.Message, "file name");
        StringAssert.Contains(error.Message, problem);
        Assert.AreEqual("files", error.ParamName);
        Assert.AreEqual(0, bed.Server.RequestCount);
        CollectionAssert.AreEqual(Array.Empty<string>(), bed.CacheListing());
    }

    [TestMethod]
    [DataRow("../../etc")]
    [DataRow("org/name@../../../tmp")]
    public void DownloadAsync_UnsafeModelReference_ThrowsBeforeAnyRequest(string modelReference)
    {
        using var hub = new HuggingFaceHub(bed.Options());

        Assert.ThrowsExactly<ArgumentException>(() => hub.DownloadAsync(modelReference, ["config.json"]));
        Assert.ThrowsExactly<ArgumentException>(() => hub.DownloadModelAsync(modelReference));
        Assert.AreEqual(0, bed.Server.RequestCount);
    }

    [TestMethod]
    public void DownloadAsync_NoFiles_ThrowsArgumentException()
    {
        using var hub = new HuggingFaceHub(bed.Options());

        var error = Assert.ThrowsExactly<ArgumentException>(() => hub.DownloadAsync(HubTestBed.RepoId, []));

        StringAssert.Contains(error.Message, "at least one file");
    }

    [TestMethod]
    public void DownloadAsync_NullFileName_ThrowsNamingIndex()
    {
        using var hub = new HuggingFaceHub(bed.Options());

        var error = Assert.ThrowsExactly<ArgumentException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json", null!]));

        StringAssert.Contains(error.Message, "index 1");
    }

    [TestMethod]
    public void DownloadAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var hub = new HuggingFaceHub(bed.Options());
        hub.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => hub.DownloadAsync(HubTestBed.RepoId, ["config.json"]));
    }
}
