using TorchSharp;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Fills <paramref name="destination"/> with the tensor bytes that start <paramref name="byteOffset"/> bytes into the tensor.</summary>
internal delegate void ByteChunkFiller(long byteOffset, Span<byte> destination);

/// <summary>Moves raw tensor bytes between native TorchSharp memory and files, in chunks a <see cref="Span{T}"/> can address.</summary>
/// <remarks>
/// TorchSharp's <c>Tensor.bytes</c> is a span over the tensor's native memory, limited to <see cref="int.MaxValue"/> bytes;
/// working on 1-D slices of at most <see cref="DefaultChunkBytes"/> lets tensors of any size pass with a single copy and
/// no managed buffer of the tensor's size.
/// </remarks>
internal static class TensorBytes
{
    /// <summary>The largest slice copied at once: 1 GiB.</summary>
    public const int DefaultChunkBytes = 1 << 30;

    /// <summary>Allocates an uninitialised CPU tensor of <paramref name="shape"/> and lets <paramref name="fill"/> write its bytes.</summary>
    /// <returns>A new tensor <c>[shape]</c> of <paramref name="type"/>, owned by the caller.</returns>
    public static torch.Tensor Create(torch.ScalarType type, long[] shape, ByteChunkFiller fill, int chunkBytes = DefaultChunkBytes)
    {
        long elementCount = shape.Aggregate(1L, (product, dimension) => checked(product * dimension));
        torch.Tensor flat = torch.empty(new[] { elementCount }, type);
        try
        {
            int elementSize = (int)flat.element_size();
            long chunkElements = Math.Max(1, chunkBytes / elementSize);
            for (long start = 0; start < elementCount; start += chunkElements)
            {
                long count = Math.Min(chunkElements, elementCount - start);
                using torch.Tensor slice = flat.narrow(0, start, count);
                fill(start * elementSize, slice.bytes);
            }
            return flat.view(shape);
        }
        finally
        {
            flat.Dispose();
        }
    }

    /// <summary>Writes the elements of <paramref name="tensor"/> to <paramref name="stream"/> in row-major order, little-endian.</summary>
    public static void WriteTo(torch.Tensor tensor, Stream stream, int chunkBytes = DefaultChunkBytes)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor flat = tensor.detach().cpu().contiguous().reshape(-1);
        long elementCount = flat.numel();
        long chunkElements = Math.Max(1, chunkBytes / flat.element_size());
        for (long start = 0; start < elementCount; start += chunkElements)
        {
            long count = Math.Min(chunkElements, elementCount - start);
            using torch.Tensor slice = flat.narrow(0, start, count);
            stream.Write(slice.bytes);
        }
    }
}
