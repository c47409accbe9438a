using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Appends token ids to a file as little-endian 32-bit integers.</summary>
internal sealed class TokenStreamWriter : IDisposable
{
    private readonly FileStream _stream;

    private TokenStreamWriter(FileStream stream) => _stream = stream;

    /// <summary>Tokens written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Creates <paramref name="path"/>, which must not exist yet.</summary>
    public static TokenStreamWriter Create(string path) =>
        new(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20));

    /// <summary>Appends <paramref name="tokens"/>.</summary>
    public void Write(ReadOnlySpan<int> tokens)
    {
        if (BitConverter.IsLittleEndian)
        {
            _stream.Write(MemoryMarshal.AsBytes(tokens));
        }
        else
        {
            Span<byte> bytes = stackalloc byte[sizeof(int)];
            foreach (int token in tokens)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes, token);
                _stream.Write(bytes);
            }
        }
        Count += tokens.Length;
    }

    /// <summary>Appends one token.</summary>
    public void Write(int token) => Write([token]);

    /// <summary>Flushes everything to the disk, so that a rename after it publishes a complete file.</summary>
    public void Complete() => _stream.Flush(flushToDisk: true);

    public void Dispose() => _stream.Dispose();
}
