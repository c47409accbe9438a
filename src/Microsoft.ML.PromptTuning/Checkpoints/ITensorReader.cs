using TorchSharp;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>A read-only, lazily read view of a checkpoint's named tensors.</summary>
/// <remarks>
/// Opening a reader validates the file's structure; tensor data is read only when <see cref="Read"/> asks for it, so a
/// reader over a large checkpoint holds little managed memory.
/// </remarks>
public interface ITensorReader : IDisposable
{
    /// <summary>The names of every stored tensor, in the order the file lists them.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>The stored element type and shape of the tensor <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor is stored under <paramref name="name"/>; the message names it.</exception>
    TensorInfo GetInfo(string name);

    /// <summary>Reads one tensor, shaped as stored, into a new CPU tensor the caller owns and must dispose.</summary>
    /// <param name="name">The state-dict key of the tensor.</param>
    /// <param name="dtype">
    /// The element type to return. <see langword="null"/> keeps the stored type. A floating-point type converts only
    /// floating-point tensors (integer and bool tensors such as token ids keep their stored type), so the default turns
    /// F16/BF16/F64 weights into float32; an integer or bool type converts any tensor.
    /// </param>
    /// <exception cref="KeyNotFoundException">No tensor is stored under <paramref name="name"/>; the message names it.</exception>
    /// <exception cref="CheckpointFormatException">The tensor's data is missing or malformed.</exception>
    torch.Tensor Read(string name, torch.ScalarType? dtype = torch.ScalarType.Float32);
}
