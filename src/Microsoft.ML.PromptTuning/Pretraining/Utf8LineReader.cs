using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Reads a UTF-8 file line by line, splitting only at <c>\n</c> (a trailing <c>\r</c> is dropped; U+0085 and U+2028 stay inside
/// lines, as the files were written), skipping a leading byte-order mark and rejecting bytes that are not valid UTF-8.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly string _path;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _endOfStream;

    /// <summary>Reads <paramref name="stream"/>, naming <paramref name="path"/> in errors; the reader owns the stream.</summary>
    public Utf8LineReader(Stream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>The 1-based number of the line last returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Opens <paramref name="path"/> for sequential reading.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Utf8LineReader Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Corpus source file not found: {path}", path);
        // Unbuffered: this class buffers itself.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return new Utf8LineReader(stream, path);
    }

    /// <summary>Reads the next line without its terminator; false at the end of the file.</summary>
    /// <exception cref="CorpusFormatException">The line is not valid UTF-8.</exception>
    public bool TryReadLine([NotNullWhen(true)] out string? line)
    {
        while (true)
        {
            int length = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (length >= 0)
            {
                line = Decode(_buffer.AsSpan(_start, length));
                _start += length + 1;
                return true;
            }
            if (_endOfStream)
            {
                if (_start == _end)
                {
                    line = null;
                    return false;
                }
                line = Decode(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
                return true;
            }
            Fill();
        }
    }

    public void Dispose() => _stream.Dispose();

    private void Fill()
    {
        int pending = _end - _start;
        if (pending == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _endOfStream = true;
        _end += read;
    }

    private string Decode(ReadOnlySpan<byte> bytes)
    {
        LineNumber++;
        if (LineNumber == 1 && bytes.StartsWith(ByteOrderMark))
            bytes = bytes[ByteOrderMark.Length..];
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
            bytes = bytes[..^1];
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new CorpusFormatException(_path, LineNumber, "the line is not valid UTF-8.", e);
        }
    }
}
