using System.Buffers.Binary;
using System.Text;
using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>Malformed and hostile safetensors files must fail at open with a message naming the file and the problem.</summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class SafeTensorsReaderHostileTests
{
    [TestMethod]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", "not valid JSON")]
    [DataRow("[1, 2]", "does not start with '{'")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,800]}}", "past the end of the 16-byte data section")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "begin after end")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", "overlap")]
    [DataRow("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", "unsupported dtype 'Q7'")]
    [DataRow("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", "unsupported dtype 'F8_E4M3'")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "needs 12 bytes but data_offsets [0, 8] span 8")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "not a non-negative integer")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", "not a non-negative integer")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,8]}}", "overflows 64 bits")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", "exactly 2")]
    [DataRow("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "has no 'dtype'")]
    [DataRow("{\"a\":[1,2]}", "not an object")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", "lists 'a' twice")]
    [DataRow("{\"__metadata__\":{\"format\":7}}", "not a string")]
    [DataRow("{\"__metadata__\":[\"pt\"]}", "not an object of strings")]
    [DataRow("{} trailing", "other than padding")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "the data section has 16 bytes but the tensors cover only the first 8")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", "bytes [0, 8) of the data section belong to no tensor")]
    [DataRow("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},\"c\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", "bytes [4, 8) of the data section belong to no tensor (before 'b')")]
    public void Open_MalformedHeader_ThrowsNamingProblem(string header, string problem)
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.safetensors");
        WriteRaw(path, Encoding.UTF8.GetBytes(header), dataBytes: 16);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => SafeTensorsReader.Open(path));

        StringAssert.Contains(error.Message, problem);
        StringAssert.StartsWith(error.Message, path);
        Assert.AreEqual(path, error.FilePath);
    }

    [TestMethod]
    public void Open_HeaderNotUtf8_ThrowsNamingEncoding()
    {
        using var folder = new TempFolder();
        string path = folder.File("latin1.safetensors");
        byte[] header = Encoding.Latin1.GetBytes("{\"caf\u00e9\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        WriteRaw(path, header, dataBytes: 4);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => SafeTensorsReader.Open(path));

        StringAssert.Contains(error.Message, "the header is not valid UTF-8");
    }

    [TestMethod]
    public void Open_AbsurdHeaderLength_ThrowsBeforeAllocating()
    {
        using var folder = new TempFolder();
        string path = folder.File("huge.safetensors");
        WriteRaw(path, "{}"u8.ToArray(), dataBytes: 0, declaredHeaderLength: ulong.MaxValue - 7);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => SafeTensorsReader.Open(path));

        StringAssert.Contains(error.Message, "exceeds the 100000000-byte limit");
    }

    [TestMethod]
    public void Open_HeaderLengthPastEndOfFile_ThrowsTruncated()
    {
        using var folder = new TempFolder();
        string path = folder.File("short.safetensors");
        WriteRaw(path, "{}"u8.ToArray(), dataBytes: 0, declaredHeaderLength: 4096);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => SafeTensorsReader.Open(path));

        StringAssert.Contains(error.Message, "truncated");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(5)]
    public void Open_FileShorterThanLengthPrefix_Throws(int length)
    {
        using var folder = new TempFolder();
        string path = folder.File("tiny.safetensors");
        File.WriteAllBytes(path, new byte[length]);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => SafeTensorsReader.Open(path));

        StringAssert.Contains(error.Message, length == 0 ? "empty" : "shorter than the 8-byte header length");
    }

    [TestMethod]
    public void Open_TruncatedFixture_ThrowsNamingTensorPastTheEnd()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        byte[] original = File.ReadAllBytes(Path.Combine(SharedData.Fixture("t5-tiny-random"), "model.safetensors"));
        File.WriteAllBytes(path, original[..^100]);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => SafeTensorsReader.Open(path));

        StringAssert.Contains(error.Message, "past the end");
    }

    [TestMethod]
    public void Open_MissingFile_ThrowsFileNotFound()
    {
        using var folder = new TempFolder();

        Assert.ThrowsExactly<FileNotFoundException>(() => SafeTensorsReader.Open(folder.File("absent.safetensors")));
    }

    [TestMethod]
    public void Read_ValidHandWrittenFile_ReadsValuesAtOffsets()
    {
        using var folder = new TempFolder();
        string path = folder.File("hand.safetensors");
        byte[] data = new float[] { 9, 8, 1, 2, 3, 4 }.SelectMany(BitConverter.GetBytes).ToArray();
        WriteRaw(path, Encoding.UTF8.GetBytes("{\"gap\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"m\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,24]},\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]}}"), data);

        using var reader = SafeTensorsReader.Open(path);
        using torch.Tensor matrix = reader.Read("m");
        using torch.Tensor empty = reader.Read("z");

        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4 }, matrix.data<float>().ToArray());
        CollectionAssert.AreEqual(new long[] { 2, 2 }, matrix.shape);
        Assert.AreEqual(0, empty.numel(), "zero-length ranges may share an offset");
    }

    private static void WriteRaw(string path, byte[] header, int dataBytes, ulong? declaredHeaderLength = null) =>
        WriteRaw(path, header, new byte[dataBytes], declaredHeaderLength);

    private static void WriteRaw(string path, byte[] header, byte[] data, ulong? declaredHeaderLength = null)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredHeaderLength ?? (ulong)header.Length);
        File.WriteAllBytes(path, [.. prefix, .. header, .. data]);
    }
}
