using TorchSharp;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Reads tensors from a <c>.safetensors</c> file through a read-only memory map.</summary>
/// <remarks>
/// Opening validates the whole header (see <see cref="Open"/>); <see cref="Read"/> then copies one tensor's bytes straight
/// from the mapped file into a new native tensor, so loading a model never holds its weights in managed memory.
/// Reads may run concurrently with each other, not with <see cref="Dispose"/>.
/// </remarks>
public sealed class SafeTensorsReader : ITensorReader
{
    private readonly MappedFile _file;
    private readonly SafeTensorsHeader _header;

    private SafeTensorsReader(MappedFile file, SafeTensorsHeader header)
    {
        _file = file;
        _header = header;
    }

    /// <summary>The path of the file being read.</summary>
    public string FilePath => _file.Path;

    /// <summary>The header's <c>__metadata__</c> string map (e.g. <c>format = pt</c>); empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _header.Metadata;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => _header.Names;

    /// <summary>Maps <paramref name="path"/> and validates its header: a bounded length, valid JSON, known dtypes,
    /// non-negative shapes, and byte ranges whose sizes match shape × dtype size and that tile the data section exactly (no overlap, no gap, no trailing bytes).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a valid safetensors file; the message names the problem.</exception>
    public static SafeTensorsReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MappedFile file = MappedFile.Open(path);
        try
        {
            return new SafeTensorsReader(file, SafeTensorsHeader.Read(file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public TensorInfo GetInfo(string name)
    {
        TensorInfo info = Entry(name).Info;
        // A copy, so callers cannot change the shape the reader relies on.
        return info with { Shape = (long[])info.Shape.Clone() };
    }

    /// <inheritdoc />
    public torch.Tensor Read(string name, torch.ScalarType? dtype = torch.ScalarType.Float32)
    {
        SafeTensorsEntry entry = Entry(name);
        long start = _header.DataStart + entry.Begin;
        torch.Tensor stored = TensorBytes.Create(entry.Info.DType.ToScalarType(), entry.Info.Shape,
            (offset, destination) => _file.CopyTo(start + offset, destination));
        return ReadDType.ConvertOwned(stored, ReadDType.Resolve(entry.Info.DType, dtype));
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => _file.Dispose();

    private SafeTensorsEntry Entry(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _header.Entries.TryGetValue(name, out SafeTensorsEntry? entry)
            ? entry
            : throw new KeyNotFoundException($"{_file.Path} holds no tensor named '{name}'.");
    }
}
