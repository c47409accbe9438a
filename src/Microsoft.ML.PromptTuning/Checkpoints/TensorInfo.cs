namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>The name, element type and shape of one tensor stored in a checkpoint, known without reading its data.</summary>
/// <param name="Name">The state-dict key, e.g. <c>roberta.embeddings.word_embeddings.weight</c>.</param>
/// <param name="DType">The element type the tensor is stored with.</param>
/// <param name="Shape">The tensor's dimensions (empty for a scalar), e.g. <c>[vocab, hidden]</c> for an embedding.</param>
public sealed record TensorInfo(string Name, TensorDType DType, long[] Shape)
{
    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dimension) => checked(product * dimension));

    /// <summary>The number of bytes the tensor's data occupies when stored contiguously.</summary>
    public long ByteLength => checked(ElementCount * DType.ElementSize());
}
