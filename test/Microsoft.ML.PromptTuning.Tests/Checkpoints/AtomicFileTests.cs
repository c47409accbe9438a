using Microsoft.ML.PromptTuning.Checkpoints;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

[TestClass]
[TestCategory("Reliability")]
public sealed class AtomicFileTests
{
    [TestMethod]
    public void Write_WriterThrowsMidway_LeavesOldFileAndNoTemporaryFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("weights.safetensors");
        File.WriteAllText(path, "previous save");

        Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("disk full");
        }));

        Assert.AreEqual("previous save", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void Write_Succeeds_ReplacesContents()
    {
        using var folder = new TempFolder();
        string path = folder.File("weights.safetensors");
        File.WriteAllText(path, "previous save");

        AtomicFile.Write(path, stream => stream.Write("new"u8));

        Assert.AreEqual("new", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder.Path));
    }
}
