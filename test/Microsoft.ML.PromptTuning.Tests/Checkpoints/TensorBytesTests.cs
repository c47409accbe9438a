using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>The chunked copies that let tensors beyond 2 GiB pass through <c>Tensor.bytes</c>, exercised with tiny chunks.</summary>
[TestClass]
public sealed class TensorBytesTests
{
    [TestMethod]
    public void Create_ChunksSmallerThanTensor_FillsEveryByteInOrder()
    {
        byte[] source = Enumerable.Range(0, 4 * 15).Select(i => (byte)i).ToArray();
        var offsets = new List<long>();

        using torch.Tensor tensor = TensorBytes.Create(torch.ScalarType.Float32, [3, 5], (offset, destination) =>
        {
            offsets.Add(offset);
            source.AsSpan((int)offset, destination.Length).CopyTo(destination);
        }, chunkBytes: 16);

        CollectionAssert.AreEqual(new long[] { 0, 16, 32, 48 }, offsets);
        CollectionAssert.AreEqual(new long[] { 3, 5 }, tensor.shape);
        CollectionAssert.AreEqual(source, tensor.bytes.ToArray());
    }

    [TestMethod]
    public void WriteTo_ChunksSmallerThanTensor_WritesAllElementsRowMajor()
    {
        using var matrix = torch.arange(10, dtype: torch.ScalarType.Int16).reshape(2, 5);
        using var transposed = matrix.t();
        using var stream = new MemoryStream();

        TensorBytes.WriteTo(transposed, stream, chunkBytes: 4);

        short[] written = Enumerable.Range(0, 10).Select(i => BitConverter.ToInt16(stream.ToArray(), i * 2)).ToArray();
        CollectionAssert.AreEqual(new short[] { 0, 5, 1, 6, 2, 7, 3, 8, 4, 9 }, written);
    }
}
