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
    public void Write_DiskFullMidway_ThrowsNamingTheFileAndKeepsThePreviousOne()
    {
        using var folder = new TempFolder();
        string path = folder.File("prompt.safetensors");
        File.WriteAllText(path, "previous save");

        // Simulated: the runtime throws a plain IOException with this text when write(2) fails with ENOSPC.
        var error = Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException("No space left on device : '" + folder.File(".prompt.safetensors.0123.tmp") + "'");
        }));

        StringAssert.StartsWith(error.Message, $"Cannot write '{path}': No space left on device");
        StringAssert.EndsWith(error.Message, "; the previous file is unchanged.");
        Assert.AreEqual("previous save", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void Write_WriterThrowsItsOwnError_PassesItThroughUnchanged()
    {
        using var folder = new TempFolder();
        string path = folder.File("weights.safetensors");

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => AtomicFile.Write(path, _ => throw new CheckpointFormatException(path, "bad tensor")));

        Assert.AreEqual("bad tensor", error.Problem);
        Assert.AreEqual(0, Directory.GetFiles(folder.Path).Length);
    }

    [TestMethod]
    public void Write_FolderIsAFile_ThrowsSayingSo()
    {
        using var folder = new TempFolder();
        string file = folder.File("output");
        File.WriteAllText(file, "not a folder");

        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => AtomicFile.Write(Path.Combine(file, "prompt.safetensors"), _ => { }));

        StringAssert.Contains(error.Message, $"'{file}' is a file, not a folder");
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
