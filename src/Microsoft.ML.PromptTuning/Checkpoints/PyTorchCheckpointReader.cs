using TorchSharp;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Reads tensors from a <c>pytorch_model.bin</c> written by <c>torch.save</c> (the zip format), without running its pickle.</summary>
/// <remarks>
/// The state dict's pickle is decoded by a <see cref="RestrictedUnpickler"/> that admits only OrderedDict, the tensor rebuild
/// functions and typed storages, so a malicious file fails with a <see cref="CheckpointFormatException"/> naming the refused
/// global. Tensors that share a storage (tied weights) are each returned as an independent copy. Reads are serialised.
/// </remarks>
public sealed class PyTorchCheckpointReader : ITensorReader
{
    private readonly TorchArchive _archive;
    private readonly OrderedDictionary<string, TorchTensorReference> _tensors;
    private readonly object _gate = new();

    private PyTorchCheckpointReader(TorchArchive archive, OrderedDictionary<string, TorchTensorReference> tensors)
    {
        _archive = archive;
        _tensors = tensors;
    }

    /// <summary>The path of the file being read.</summary>
    public string FilePath => _archive.Path;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => _tensors.Keys;

    /// <summary>Opens <paramref name="path"/>, decodes its state dict and checks that every storage it uses is present and complete.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The archive or its pickle is malformed, hostile, big-endian or missing storages.</exception>
    public static PyTorchCheckpointReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TorchArchive archive = TorchArchive.Open(path);
        try
        {
            var resolver = new TorchPickleResolver();
            object? root = new RestrictedUnpickler(path, resolver).Load(archive.ReadPickle());
            OrderedDictionary<string, TorchTensorReference> tensors = TorchStateDict.FromPickle(root, path);
            archive.CheckStorages(resolver.Storages.Values);
            return new PyTorchCheckpointReader(archive, tensors);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public TensorInfo GetInfo(string name)
    {
        TorchTensorReference tensor = Tensor(name);
        return new TensorInfo(name, tensor.Storage.DType, (long[])tensor.Shape.Clone());
    }

    /// <inheritdoc />
    public torch.Tensor Read(string name, torch.ScalarType? dtype = torch.ScalarType.Float32)
    {
        TorchTensorReference tensor = Tensor(name);
        TensorDType stored = tensor.Storage.DType;
        torch.Tensor result;
        lock (_gate)
        {
            result = tensor.IsContiguous
                ? ReadElements(tensor, tensor.Shape)
                : ReadStrided(tensor);
        }
        return ReadDType.ConvertOwned(result, ReadDType.Resolve(stored, dtype));
    }

    /// <summary>Closes the archive.</summary>
    public void Dispose() => _archive.Dispose();

    private torch.Tensor ReadStrided(TorchTensorReference tensor)
    {
        // Read the storage range the view touches, then let torch gather the strided elements into a contiguous copy.
        using torch.Tensor span = ReadElements(tensor, [tensor.ElementSpan]);
        using torch.Tensor view = span.as_strided(tensor.Shape, tensor.Stride, 0);
        return view.contiguous();
    }

    private torch.Tensor ReadElements(TorchTensorReference tensor, long[] shape)
    {
        TorchStorageReference storage = tensor.Storage;
        long start = checked(tensor.StorageOffset * storage.DType.ElementSize());
        torch.Tensor? result = null;
        _archive.Guard(() =>
        {
            using Stream stream = _archive.OpenStorage(storage.Key, start);
            result = TensorBytes.Create(storage.DType.ToScalarType(), shape, (_, destination) => stream.ReadExactly(destination));
        }, "data/" + storage.Key);
        return result!;
    }

    private TorchTensorReference Tensor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tensors.TryGetValue(name, out TorchTensorReference? tensor)
            ? tensor
            : throw new KeyNotFoundException($"{_archive.Path} holds no tensor named '{name}'.");
    }
}
