using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.ML.PromptTuning.Checkpoints;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>A file of little-endian 32-bit token ids mapped read-only into memory; reads are thread-safe.</summary>
internal sealed class TokenFile : IDisposable
{
    // Null for an empty file, which has nothing to map.
    private readonly MappedFile? _file;
    private bool _disposed;

    private TokenFile(string path, long count, MappedFile? file)
    {
        Path = path;
        Count = count;
        _file = file;
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
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FileNotFoundException($"Corpus token file not found: {path}", path);
        if (info.Length != expectedCount * sizeof(int))
            throw new CorpusFormatException(path, null,
                $"the file holds {info.Length} bytes but the manifest promises {expectedCount} tokens ({expectedCount * sizeof(int)} bytes); rebuild the corpus.");
        return new TokenFile(path, expectedCount, expectedCount == 0 ? null : MappedFile.Open(path));
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
        _disposed = true;
        _file?.Dispose();
    }

    private ReadOnlySpan<int> Tokens(long start, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (start < 0 || count < 0 || start > Count - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"Tokens [{start}, {start}+{count}) lie outside {Path} ({Count} tokens).");
        return count == 0 ? [] : MemoryMarshal.Cast<byte, int>(_file!.Bytes(start * sizeof(int), count * sizeof(int)));
    }
}
