using System.IO.MemoryMappedFiles;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>A whole file mapped read-only into memory, read by byte ranges that are checked against its length.</summary>
/// <remarks>The operating system pages data in on demand, so a mapped checkpoint costs no managed memory.</remarks>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _pointer;

    private MappedFile(string path, long length, MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        Path = path;
        Length = length;
        _map = map;
        _view = view;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _pointer);
        // The view starts at a page boundary at or before offset 0; PointerOffset is that distance.
        _pointer += _view.PointerOffset;
    }

    /// <summary>The mapped file's path, used in error messages.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>Maps <paramref name="path"/> read-only; an empty file is mapped as zero bytes without a view.</summary>
    public static MappedFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        try
        {
            long length = stream.Length;
            if (length == 0)
                throw new CheckpointFormatException(path, "the file is empty.");
            var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            try
            {
                var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
                return new MappedFile(path, length, map, view);
            }
            catch
            {
                map.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The <paramref name="length"/> bytes at <paramref name="offset"/>, valid until the file is disposed.</summary>
    public ReadOnlySpan<byte> Bytes(long offset, int length)
    {
        CheckRange(offset, length);
        return new ReadOnlySpan<byte>(_pointer + offset, length);
    }

    /// <summary>Copies the bytes at <paramref name="offset"/> into <paramref name="destination"/>, filling it.</summary>
    public void CopyTo(long offset, Span<byte> destination) => Bytes(offset, destination.Length).CopyTo(destination);

    public void Dispose()
    {
        if (_pointer == null)
            return;
        _pointer = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    private void CheckRange(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_pointer == null, this);
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset}+{length}) lie outside {Path} ({Length} bytes).");
    }
}
