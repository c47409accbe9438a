using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

[TestClass]
public sealed class HubUrlsTests
{
    private static readonly Uri Hub = new("https://huggingface.co");

    [TestMethod]
    public void Resolve_PlainFile_FollowsHubLayout()
    {
        Uri url = HubUrls.Resolve(Hub, "org/name", "main", ["config.json"]);

        Assert.AreEqual("https://huggingface.co/org/name/resolve/main/config.json", url.AbsoluteUri);
    }

    [TestMethod]
    public void Resolve_RevisionWithSlashes_EscapesItAsOneSegment()
    {
        Uri url = HubUrls.Resolve(Hub, "org/name", "refs/pr/1", ["config.json"]);

        Assert.AreEqual("https://huggingface.co/org/name/resolve/refs%2Fpr%2F1/config.json", url.AbsoluteUri);
    }

    [TestMethod]
    public void Resolve_NestedFileWithSpecialCharacters_EscapesEachSegment()
    {
        Uri url = HubUrls.Resolve(Hub, "org/name", "main", ["sub folder", "weights#1?.bin"]);

        Assert.AreEqual("https://huggingface.co/org/name/resolve/main/sub%20folder/weights%231%3F.bin", url.AbsoluteUri);
    }

    [TestMethod]
    public void Resolve_EndpointWithPathPrefix_KeepsPrefix()
    {
        Uri url = HubUrls.Resolve(new Uri("http://127.0.0.1:8080/mirror/hf/"), "gpt2", "main", ["config.json"]);

        Assert.AreEqual("http://127.0.0.1:8080/mirror/hf/gpt2/resolve/main/config.json", url.AbsoluteUri);
    }

    [TestMethod]
    public void SameServer_DifferentHostOrPort_IsFalse()
    {
        Assert.IsTrue(HubUrls.SameServer(Hub, new Uri("https://HuggingFace.co/x/resolve/main/y")));
        Assert.IsFalse(HubUrls.SameServer(Hub, new Uri("https://cdn-lfs.huggingface.co/x")));
        Assert.IsFalse(HubUrls.SameServer(new Uri("http://127.0.0.1:1"), new Uri("http://127.0.0.1:2")));
    }
}
