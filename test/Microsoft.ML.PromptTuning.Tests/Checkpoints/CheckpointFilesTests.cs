using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

[TestClass]
public sealed class CheckpointFilesTests
{
    [TestMethod]
    public void OpenWeights_EmptyFolder_ThrowsNamingFolderAndFilesLookedFor()
    {
        using var folder = new TempFolder();

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => CheckpointFiles.OpenWeights(folder.Path));

        StringAssert.Contains(error.Message, folder.Path);
        foreach (string name in CheckpointFiles.WeightFileNames)
            StringAssert.Contains(error.Message, name);
    }

    [TestMethod]
    public void OpenWeights_MissingFolder_ThrowsDirectoryNotFound()
    {
        using var folder = new TempFolder();
        string absent = Path.Combine(folder.Path, "absent");

        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => CheckpointFiles.OpenWeights(absent));

        StringAssert.Contains(error.Message, absent);
    }

    [TestMethod]
    public void OpenWeights_OnlyPyTorchBin_OpensTorchReader()
    {
        using var folder = new TempFolder();
        File.Copy(Path.Combine(SharedData.Fixture("t5-tiny-random"), "pytorch_model.bin"), folder.File(CheckpointFiles.PyTorchWeights));

        using ITensorReader reader = CheckpointFiles.OpenWeights(folder.Path);

        Assert.IsInstanceOfType<PyTorchCheckpointReader>(reader);
        CollectionAssert.Contains(reader.Names.ToArray(), "lm_head.weight");
    }

    [TestMethod]
    public void OpenWeights_SafeTensorsBesideIndexAndBin_PrefersSingleSafeTensors()
    {
        using var folder = new TempFolder();
        using var tensor = torch.ones(2);
        SafeTensors.Save(folder.File(CheckpointFiles.SafeTensorsWeights), [new("single", tensor)]);
        File.WriteAllText(folder.File(CheckpointFiles.SafeTensorsIndex), "not even JSON");
        File.WriteAllText(folder.File(CheckpointFiles.PyTorchWeights), "not a zip");

        using ITensorReader reader = CheckpointFiles.OpenWeights(folder.Path);

        CollectionAssert.AreEqual(new[] { "single" }, reader.Names.ToArray());
    }

    [TestMethod]
    [DataRow("weights.safetensors", typeof(SafeTensorsReader))]
    [DataRow("weights.BIN", typeof(PyTorchCheckpointReader))]
    public void OpenFile_KnownExtension_PicksReader(string fileName, Type readerType)
    {
        using var folder = new TempFolder();
        string source = readerType == typeof(SafeTensorsReader) ? "model.safetensors" : "pytorch_model.bin";
        File.Copy(Path.Combine(SharedData.Fixture("t5-tiny-random"), source), folder.File(fileName));

        using ITensorReader reader = CheckpointFiles.OpenFile(folder.File(fileName));

        Assert.IsInstanceOfType(reader, readerType);
    }

    [TestMethod]
    public void OpenFile_UnknownExtension_ThrowsNamingPath()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => CheckpointFiles.OpenFile("/models/weights.onnx"));

        StringAssert.Contains(error.Message, "/models/weights.onnx");
    }
}
