using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>A file of little-endian 32-bit token ids mapped read-only into memory; reads are thread-safe.</summary>
internal sealed unsafe class TokenFile : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _pointer;
    private bool _disposed;

    private TokenFile(string path, long count, MemoryMappedFile? map, MemoryMappedViewAccessor? view)
    {
        Path = path;
        Count = count;
        _map = map;
        _view = view;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _pointer);
            // The view starts at a page boundary at or before offset 0; PointerOffset is that distance.
            _pointer += _view.PointerOffset;
        }
    }

    /// <summary>The file, for messages.</summary>
    public string Path { get; }

    /// <summary>The number of tokens.</summary>
    public long Count { get; }

    /// <summary>Maps <paramref name="path"/>, which must hold exactly <paramref name="expectedCount"/> tokens.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CorpusFormatException">The file's size does not match the count.</exception>
    public static TokenFile Open(string path, long expectedCount)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Corpus token file not found: {path}", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.RandomAccess);
        try
        {
            if (stream.Length != expectedCount * sizeof(int))
                throw new CorpusFormatException(path, null,
                    $"the file holds {stream.Length} bytes but the manifest promises {expectedCount} tokens ({expectedCount * sizeof(int)} bytes); rebuild the corpus.");
            if (expectedCount == 0)
            {
                stream.Dispose();
                return new TokenFile(path, 0, null, null);
            }
            var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            try
            {
                return new TokenFile(path, expectedCount, map, map.CreateViewAccessor(0, stream.Length, MemoryMappedFileAccess.Read));
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

    /// <summary>Copies the tokens at <c>[start, start + destination.Length)</c> into <paramref name="destination"/>.</summary>
    public void Read(long start, Span<int> destination)
    {
        ReadOnlySpan<int> tokens = Tokens(start, destination.Length);
        if (BitConverter.IsLittleEndian)
            tokens.CopyTo(destination);
        else
            BinaryPrimitives.ReverseEndianness(tokens, destination);
    }

    /// <summary>Counts each id's occurrences; ids must lie in <c>[0, vocabularySize)</c>.</summary>
    /// <exception cref="CorpusFormatException">An id lies outside the vocabulary.</exception>
    public long[] CountIds(int vocabularySize)
    {
        var counts = new long[vocabularySize];
        Span<int> chunk = new int[1 << 16];
        for (long start = 0; start < Count; start += chunk.Length)
        {
            Span<int> ids = chunk[..(int)Math.Min(chunk.Length, Count - start)];
            Read(start, ids);
            for (int i = 0; i < ids.Length; i++)
            {
                int id = ids[i];
                if ((uint)id >= (uint)vocabularySize)
                    throw new CorpusFormatException(Path, null,
                        $"token {start + i} has id {id}, outside the vocabulary [0, {vocabularySize}); the file is corrupt.");
                counts[id]++;
            }
        }
        return counts;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _pointer = null;
            _view.Dispose();
            _map!.Dispose();
        }
    }

    private ReadOnlySpan<int> Tokens(long start, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (start < 0 || count < 0 || start > Count - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"Tokens [{start}, {start}+{count}) lie outside {Path} ({Count} tokens).");
        return count == 0 ? [] : new ReadOnlySpan<int>(_pointer + start * sizeof(int), count);
    }
}
