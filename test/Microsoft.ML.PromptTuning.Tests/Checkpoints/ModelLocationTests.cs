using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

[TestClass]
public sealed class ModelLocationTests
{
    [TestMethod]
    public void Resolve_ExistingFolder_ReturnsItWithoutDownloading()
    {
        string folder = SharedData.Fixture("roberta-tiny");
        Assert.AreEqual(Path.GetFullPath(folder), ModelLocation.Resolve(folder));
    }

    [TestMethod]
    public void Resolve_MissingLocalPath_ThrowsDirectoryNotFound()
    {
        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => ModelLocation.Resolve("/no/such/model"));
        StringAssert.Contains(error.Message, "/no/such/model");
    }

    [TestMethod]
    public async Task Resolve_HubId_DownloadsAndTheBackboneLoadsLikeTheLocalFolder()
    {
        await using var bed = new HubTestBed();
        bed.AddFixture();
        string folder = ModelLocation.Resolve(HubTestBed.RepoId, bed.Options());

        StringAssert.Contains(folder, HubTestBed.CacheFolderName);
        using var scope = NewDisposeScope();
        using var fromHub = (MaskedLanguageModel)LanguageModelLoader.Load(folder);
        using var local = (MaskedLanguageModel)LanguageModelLoader.Load(SharedData.Fixture("roberta-tiny"));
        Assert.IsTrue(fromHub.WordEmbeddings.allclose(local.WordEmbeddings, rtol: 0, atol: 0));
    }
}
