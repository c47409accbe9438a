using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>torch.save zip archives: hand-built ones covering dtypes, strides and sharing, and broken or hostile ones.</summary>
[TestClass]
public sealed class PyTorchCheckpointReaderTests
{
    private static string FixtureBin => Path.Combine(SharedData.Fixture("t5-tiny-random"), "pytorch_model.bin");

    [TestMethod]
    public void Read_HalfBFloat16AndLongStorages_ConvertFloatsAndKeepIntegers()
    {
        using var folder = new TempFolder();
        string path = folder.File("typed.bin");
        using var values = torch.tensor(new float[] { 0.5f, -2, 3.25f, 1e-3f });
        using var half = values.to(torch.ScalarType.Float16);
        using var bfloat = values.to(torch.ScalarType.BFloat16);
        byte[] pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Unicode("half").Tensor("HalfStorage", "0", 4, 0, [2, 2], [2, 1])
            .Unicode("bf16").Tensor("BFloat16Storage", "1", 4, 0, [4], [1])
            .Unicode("ids").Tensor("LongStorage", "2", 3, 0, [3], [1])
            .SetItems().Stop().ToArray();
        new TorchZipBuilder().Pickle(pickle)
            .Storage("0", half.bytes.ToArray()).Storage("1", bfloat.bytes.ToArray())
            .Storage("2", new long[] { 5, -1, 1L << 40 }.SelectMany(BitConverter.GetBytes).ToArray())
            .ByteOrder("little").Save(path);

        using var reader = PyTorchCheckpointReader.Open(path);

        Assert.AreEqual(TensorDType.F16, reader.GetInfo("half").DType);
        using torch.Tensor halfAsFloat = reader.Read("half");
        using torch.Tensor halfExpected = half.to(torch.ScalarType.Float32).reshape(2, 2);
        TensorAssert.AreEqual(halfExpected, halfAsFloat);
        using torch.Tensor bfloatStored = reader.Read("bf16", dtype: null);
        TensorAssert.AreEqual(bfloat, bfloatStored);
        using torch.Tensor ids = reader.Read("ids");
        CollectionAssert.AreEqual(new long[] { 5, -1, 1L << 40 }, ids.data<long>().ToArray());
        using torch.Tensor ids32 = reader.Read("ids", torch.ScalarType.Int32);
        Assert.AreEqual(torch.ScalarType.Int32, ids32.dtype, "an integer dtype converts integer tensors");
    }

    [TestMethod]
    public void Read_StridedOffsetAndSharedViews_ReturnIndependentContiguousCopies()
    {
        using var folder = new TempFolder();
        string path = folder.File("views.bin");
        byte[] pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Unicode("matrix").Tensor("FloatStorage", "0", 8, 0, [2, 3], [3, 1])
            .Unicode("transposed").Tensor("FloatStorage", "0", 8, 0, [3, 2], [1, 3])
            .Unicode("tail").Tensor("FloatStorage", "0", 8, 5, [3], [1])
            .Unicode("every_other").Tensor("FloatStorage", "0", 8, 1, [2, 2], [4, 2])
            .SetItems().Stop().ToArray();
        new TorchZipBuilder().Pickle(pickle).Storage("0", new float[] { 0, 1, 2, 3, 4, 5, 6, 7 }).Save(path);

        using var reader = PyTorchCheckpointReader.Open(path);
        using torch.Tensor matrix = reader.Read("matrix");
        using torch.Tensor transposed = reader.Read("transposed");
        using torch.Tensor tail = reader.Read("tail");
        using torch.Tensor everyOther = reader.Read("every_other");

        CollectionAssert.AreEqual(new float[] { 0, 1, 2, 3, 4, 5 }, matrix.data<float>().ToArray());
        CollectionAssert.AreEqual(new float[] { 0, 3, 1, 4, 2, 5 }, transposed.data<float>().ToArray());
        CollectionAssert.AreEqual(new long[] { 3, 2 }, transposed.shape);
        Assert.IsTrue(transposed.is_contiguous());
        CollectionAssert.AreEqual(new float[] { 5, 6, 7 }, tail.data<float>().ToArray());
        CollectionAssert.AreEqual(new float[] { 1, 3, 5, 7 }, everyOther.data<float>().ToArray());
        matrix.fill_(-1);
        using torch.Tensor matrixAgain = reader.Read("matrix");
        Assert.AreEqual(0f, matrixAgain[0, 0].item<float>(), "each read is an independent copy");
    }

    [TestMethod]
    [DataRow("os", "system")]
    [DataRow("builtins", "eval")]
    [TestCategory("Reliability")]
    public void Open_MaliciousPickle_ThrowsNamingGlobalAndFile(string module, string name)
    {
        using var folder = new TempFolder();
        string path = folder.File("pytorch_model.bin");
        byte[] pickle = new PickleBuilder().Proto().Global(module, name).Unicode("touch /tmp/pwned").Tuple1().Reduce().Stop().ToArray();
        new TorchZipBuilder("pytorch_model").Pickle(pickle).Save(path);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(path));

        StringAssert.Contains(error.Message, $"global '{module}.{name}' is not allowed");
        Assert.AreEqual(path, error.FilePath);
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_TruncatedZip_Throws()
    {
        using var folder = new TempFolder();
        string path = folder.File("pytorch_model.bin");
        byte[] original = File.ReadAllBytes(FixtureBin);
        File.WriteAllBytes(path, original[..(original.Length / 2)]);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(path));

        StringAssert.Contains(error.Message, "truncated or corrupt");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_CentralDirectoryCountingOtherEntries_ThrowsCorrupt()
    {
        using var folder = new TempFolder();
        string path = folder.File("pytorch_model.bin");
        TorchZipBuilder.CopyExcept(FixtureBin, path, _ => false);
        byte[] bytes = File.ReadAllBytes(path);
        // The end-of-central-directory record ("PK\x05\x06") counts the entries at offsets 8 and 10; claim one more.
        int end = bytes.AsSpan().LastIndexOf("PK\x05\x06"u8);
        bytes[end + 8]++;
        bytes[end + 10]++;
        File.WriteAllBytes(path, bytes);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(path));

        StringAssert.Contains(error.Message, "the zip archive is truncated or corrupt");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_MissingStorageEntry_ThrowsNamingStorage()
    {
        using var folder = new TempFolder();
        string path = folder.File("pytorch_model.bin");
        TorchZipBuilder.CopyExcept(FixtureBin, path, name => name == "pytorch_model/data/3");

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(path));

        StringAssert.Contains(error.Message, "storage '3' is missing: the archive has no entry 'pytorch_model/data/3'");
    }

    [TestMethod]
    public void Open_CopiedFixture_ReadsLikeOriginal()
    {
        using var folder = new TempFolder();
        string path = folder.File("pytorch_model.bin");
        TorchZipBuilder.CopyExcept(FixtureBin, path, _ => false);

        using var copy = PyTorchCheckpointReader.Open(path);
        using var original = PyTorchCheckpointReader.Open(FixtureBin);
        using torch.Tensor fromCopy = copy.Read("shared.weight");
        using torch.Tensor fromOriginal = original.Read("shared.weight");

        TensorAssert.AreEqual(fromOriginal, fromCopy, "the zip builder used by the other tests writes archives the reader accepts");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_StorageEntryOfWrongSize_Throws()
    {
        using var folder = new TempFolder();
        string path = folder.File("short-storage.bin");
        byte[] pickle = new PickleBuilder().Proto().EmptyDict().Unicode("w").Tensor("FloatStorage", "0", 4, 0, [4], [1]).SetItem().Stop().ToArray();
        new TorchZipBuilder().Pickle(pickle).Storage("0", new float[] { 1, 2, 3 }).Save(path);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(path));

        StringAssert.Contains(error.Message, "is 12 bytes but holds 4 F32 elements (16 bytes)");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_BigEndianByteOrder_Throws()
    {
        using var folder = new TempFolder();
        string path = folder.File("big.bin");
        byte[] pickle = new PickleBuilder().Proto().EmptyDict().Stop().ToArray();
        new TorchZipBuilder().Pickle(pickle).ByteOrder("big").Save(path);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(path));

        StringAssert.Contains(error.Message, "byte order is 'big'");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_NotAZip_ThrowsNamingFormat()
    {
        string safeTensors = Path.Combine(SharedData.Fixture("t5-tiny-random"), "model.safetensors");

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(safeTensors));

        StringAssert.Contains(error.Message, "not a zip archive");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_ZipWithoutDataPkl_Throws()
    {
        using var folder = new TempFolder();
        string path = folder.File("other.bin");
        new TorchZipBuilder().Entry("readme.txt", "hello"u8.ToArray()).Save(path);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(path));

        StringAssert.Contains(error.Message, "no '<archive>/data.pkl'");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Open_PickleOfAListNotADict_Throws()
    {
        using var folder = new TempFolder();
        string path = folder.File("list.bin");
        new TorchZipBuilder().Pickle(new PickleBuilder().Proto().EmptyList().Stop().ToArray()).Save(path);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => PyTorchCheckpointReader.Open(path));

        StringAssert.Contains(error.Message, "holds a list, not a state dict");
    }
}
