namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>A typed storage of a <c>torch.save</c> archive: the raw elements in the entry <c>&lt;archive&gt;/data/&lt;Key&gt;</c>.</summary>
/// <param name="Key">The storage's key, the entry name under <c>data/</c> (e.g. <c>"0"</c>).</param>
/// <param name="DType">The element type, from the storage class (<c>torch.FloatStorage</c> → F32).</param>
/// <param name="ElementCount">The number of elements the storage holds.</param>
internal sealed record TorchStorageReference(string Key, TensorDType DType, long ElementCount)
{
    /// <summary>The storage's size in bytes.</summary>
    public long ByteLength => checked(ElementCount * DType.ElementSize());
}
