using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

[TestClass]
public sealed class SafeTensorsWriterTests
{
    [TestMethod]
    public void Save_TwoTensors_WritesSpecLayoutByteForByte()
    {
        using var folder = new TempFolder();
        string path = folder.File("two.safetensors");
        using var weight = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        using var bias = torch.tensor(new float[] { -1.5f, 0.25f });

        SafeTensors.Save(path, [new("w", weight), new("b", bias)]);

        byte[] file = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.AreEqual(0, headerLength % 8, "the header is padded to 8-byte alignment");
        string header = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.IsTrue(headerLength - header.TrimEnd(' ').Length < 8, "at most 7 spaces of padding");
        Assert.AreEqual(
            "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[8,32]}}",
            header.TrimEnd(' '), "tensors in name order, offsets contiguous from 0");
        Assert.AreEqual(8 + headerLength + 32, file.Length);
        float[] data = MemoryMarshalFloats(file.AsSpan((int)(8 + headerLength)));
        CollectionAssert.AreEqual(new float[] { -1.5f, 0.25f, 1, 2, 3, 4, 5, 6 }, data, "row-major little-endian data");
    }

    [TestMethod]
    public void Save_WithMetadata_WritesMetadataFirstAndReaderExposesIt()
    {
        using var folder = new TempFolder();
        string path = folder.File("meta.safetensors");
        using var tensor = torch.ones(3);

        SafeTensors.Save(path, [new("x", tensor)], new Dictionary<string, string> { ["format"] = "pt", ["author"] = "tests" });

        byte[] file = File.ReadAllBytes(path);
        string header = Encoding.UTF8.GetString(file, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        StringAssert.StartsWith(header, "{\"__metadata__\":{\"author\":\"tests\",\"format\":\"pt\"},");
        using var reader = SafeTensorsReader.Open(path);
        Assert.AreEqual("pt", reader.Metadata["format"]);
        Assert.AreEqual("tests", reader.Metadata["author"]);
        CollectionAssert.AreEqual(new[] { "x" }, reader.Names.ToArray(), "__metadata__ is not a tensor");
    }

    [TestMethod]
    [DataRow(torch.ScalarType.Float16)]
    [DataRow(torch.ScalarType.BFloat16)]
    public void SaveThenRead_HalfPrecision_DefaultReadEqualsFloat32Conversion(torch.ScalarType halfType)
    {
        using var folder = new TempFolder();
        string path = folder.File("half.safetensors");
        using var source = torch.linspace(-3, 3, 24).reshape(2, 3, 4);
        using var half = source.to(halfType);

        SafeTensors.Save(path, [new("half", half)]);
        using var reader = SafeTensorsReader.Open(path);

        Assert.AreEqual(halfType.ToTensorDType(), reader.GetInfo("half").DType);
        using torch.Tensor asFloat = reader.Read("half");
        using torch.Tensor expected = half.to(torch.ScalarType.Float32);
        TensorAssert.AreEqual(expected, asFloat);
        using torch.Tensor asStored = reader.Read("half", dtype: null);
        TensorAssert.AreEqual(half, asStored);
    }

    [TestMethod]
    [DataRow(torch.ScalarType.Float64)]
    [DataRow(torch.ScalarType.Float32)]
    [DataRow(torch.ScalarType.Int64)]
    [DataRow(torch.ScalarType.Int32)]
    [DataRow(torch.ScalarType.Int16)]
    [DataRow(torch.ScalarType.Int8)]
    [DataRow(torch.ScalarType.Byte)]
    [DataRow(torch.ScalarType.Bool)]
    public void SaveThenRead_EachDType_RoundTripsExactly(torch.ScalarType type)
    {
        using var folder = new TempFolder();
        string path = folder.File("typed.safetensors");
        using var values = torch.tensor(new long[] { 0, 1, 5, 7, 1, 0 }).reshape(3, 2);
        using var tensor = values.to(type);

        SafeTensors.Save(path, [new("t", tensor)]);
        using var reader = SafeTensorsReader.Open(path);

        using torch.Tensor stored = reader.Read("t", dtype: null);
        TensorAssert.AreEqual(tensor, stored);
    }

    [TestMethod]
    public void SaveThenRead_ScalarEmptyAndTransposedTensors_KeepShapesAndValues()
    {
        using var folder = new TempFolder();
        string path = folder.File("shapes.safetensors");
        using var scalar = torch.tensor(2.5f);
        using var empty = torch.zeros(0, 4);
        using var matrix = torch.arange(6, dtype: torch.ScalarType.Float32).reshape(2, 3);
        using var transposed = matrix.t();

        SafeTensors.Save(path, [new("scalar", scalar), new("empty", empty), new("transposed", transposed)]);
        using var reader = SafeTensorsReader.Open(path);

        using torch.Tensor scalarBack = reader.Read("scalar");
        TensorAssert.AreEqual(scalar, scalarBack);
        using torch.Tensor emptyBack = reader.Read("empty");
        TensorAssert.AreEqual(empty, emptyBack);
        using torch.Tensor transposedBack = reader.Read("transposed");
        TensorAssert.AreEqual(transposed.contiguous(), transposedBack, "non-contiguous input is written row-major");
        CollectionAssert.AreEqual(new float[] { 0, 3, 1, 4, 2, 5 }, transposedBack.data<float>().ToArray());
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Save_ExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        File.WriteAllText(path, "old contents");
        using var tensor = torch.ones(2);

        SafeTensors.Save(path, [new("x", tensor)]);

        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder.Path));
        using var reader = SafeTensorsReader.Open(path);
        CollectionAssert.AreEqual(new[] { "x" }, reader.Names.ToArray());
    }

    [TestMethod]
    public void Save_DuplicateName_ThrowsNamingIt()
    {
        using var folder = new TempFolder();
        using var tensor = torch.ones(2);

        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            SafeTensors.Save(folder.File("dup.safetensors"), [new("x", tensor), new("x", tensor)]));

        StringAssert.Contains(error.Message, "'x' appears twice");
        Assert.IsFalse(File.Exists(folder.File("dup.safetensors")));
    }

    [TestMethod]
    public void Save_MetadataKeyAsTensorName_Throws()
    {
        using var folder = new TempFolder();
        using var tensor = torch.ones(2);

        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            SafeTensors.Save(folder.File("reserved.safetensors"), [new("__metadata__", tensor)]));

        StringAssert.Contains(error.Message, "reserved");
    }

    [TestMethod]
    public void Save_ComplexTensor_ThrowsNamingTensor()
    {
        using var folder = new TempFolder();
        using var complex = torch.zeros(2, dtype: torch.ScalarType.ComplexFloat32);

        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            SafeTensors.Save(folder.File("complex.safetensors"), [new("z", complex)]));

        StringAssert.Contains(error.Message, "'z'");
    }

    [TestMethod]
    public void Save_MissingFolder_ThrowsDirectoryNotFound()
    {
        using var folder = new TempFolder();
        using var tensor = torch.ones(2);

        Assert.ThrowsExactly<DirectoryNotFoundException>(() =>
            SafeTensors.Save(Path.Combine(folder.Path, "absent", "x.safetensors"), [new("x", tensor)]));
    }

    [TestMethod]
    public void SaveThenRead_Header_IsUtf8NotEscaped()
    {
        using var folder = new TempFolder();
        string path = folder.File("names.safetensors");
        using var tensor = torch.ones(1);

        SafeTensors.Save(path, [new("größe+1", tensor)]);

        byte[] file = File.ReadAllBytes(path);
        string header = Encoding.UTF8.GetString(file, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        StringAssert.Contains(header, "\"größe+1\"");
        using var document = JsonDocument.Parse(header.TrimEnd(' '));
        Assert.IsTrue(document.RootElement.TryGetProperty("größe+1", out _));
    }

    private static float[] MemoryMarshalFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
        return values;
    }
}
