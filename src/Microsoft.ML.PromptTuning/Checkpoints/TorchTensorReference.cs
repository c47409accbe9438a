namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>A tensor of a <c>torch.save</c> state dict: a strided view into a storage, as <c>_rebuild_tensor_v2</c> describes it.</summary>
internal sealed class TorchTensorReference
{
    private TorchTensorReference(TorchStorageReference storage, long storageOffset, long[] shape, long[] stride, long span)
    {
        Storage = storage;
        StorageOffset = storageOffset;
        Shape = shape;
        Stride = stride;
        ElementSpan = span;
    }

    /// <summary>The storage holding the elements.</summary>
    public TorchStorageReference Storage { get; }

    /// <summary>The index, in elements, of the tensor's first element within the storage.</summary>
    public long StorageOffset { get; }

    /// <summary>The tensor's dimensions.</summary>
    public long[] Shape { get; }

    /// <summary>The step, in elements, between neighbours along each dimension.</summary>
    public long[] Stride { get; }

    /// <summary>How many consecutive storage elements, from <see cref="StorageOffset"/>, the view touches (0 when empty).</summary>
    public long ElementSpan { get; }

    /// <summary>Whether the elements lie in row-major order without gaps, so the bytes can be read as they are.</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int dimension = Shape.Length - 1; dimension >= 0; dimension--)
            {
                if (Shape[dimension] != 1 && Stride[dimension] != expected)
                    return false;
                expected *= Shape[dimension];
            }
            return true;
        }
    }

    /// <summary>Validates a view and checks that it stays inside its storage.</summary>
    /// <exception cref="PickleException">A negative size, stride or offset, mismatched ranks, or a view past the storage's end.</exception>
    public static TorchTensorReference Create(TorchStorageReference storage, long storageOffset, long[] shape, long[] stride)
    {
        if (shape.Length != stride.Length)
            throw new PickleException($"a tensor has {shape.Length} sizes but {stride.Length} strides.");
        if (storageOffset < 0 || shape.Any(size => size < 0) || stride.Any(step => step < 0))
            throw new PickleException($"a tensor has a negative size, stride or offset (size [{string.Join(", ", shape)}], stride [{string.Join(", ", stride)}], offset {storageOffset}).");
        long span;
        try
        {
            span = shape.Any(size => size == 0) ? 0 : 1 + shape.Select((size, i) => checked((size - 1) * stride[i])).Aggregate(0L, (a, b) => checked(a + b));
            if (checked(storageOffset + span) > storage.ElementCount)
                throw new PickleException($"a tensor view (offset {storageOffset}, size [{string.Join(", ", shape)}], stride [{string.Join(", ", stride)}]) runs past the end of storage '{storage.Key}' ({storage.ElementCount} elements).");
        }
        catch (OverflowException)
        {
            throw new PickleException($"a tensor view (size [{string.Join(", ", shape)}], stride [{string.Join(", ", stride)}]) overflows 64 bits.");
        }
        return new TorchTensorReference(storage, storageOffset, shape, stride, span);
    }
}
