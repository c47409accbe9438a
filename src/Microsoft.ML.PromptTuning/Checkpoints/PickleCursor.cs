using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Reads the arguments of pickle opcodes from a byte array, checking every length against the bytes that remain.</summary>
internal sealed class PickleCursor(byte[] data)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The offset of the next unread byte.</summary>
    public int Position { get; private set; }

    /// <summary>The number of unread bytes.</summary>
    public int Remaining => data.Length - Position;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>An 8-byte big-endian IEEE double, as <c>BINFLOAT</c> stores it.</summary>
    public double ReadBigEndianDouble() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    /// <summary>A little-endian two's-complement integer of <paramref name="length"/> bytes (at most 8), as <c>LONG1</c> stores it.</summary>
    public long ReadSignedLittleEndian(int length)
    {
        if (length > 8)
            throw new PickleException($"a {length}-byte integer does not fit in 64 bits.");
        ReadOnlySpan<byte> bytes = Take(length);
        if (length == 0)
            return 0;
        // Sign-extend from the most significant stored byte.
        long value = (sbyte)bytes[length - 1];
        for (int i = length - 2; i >= 0; i--)
            value = (value << 8) | bytes[i];
        return value;
    }

    /// <summary>A UTF-8 string of <paramref name="length"/> bytes; the length is checked before anything is allocated.</summary>
    public string ReadUtf8(ulong length)
    {
        if (length > (ulong)Remaining)
            throw new PickleException($"a {length}-byte string runs past the end of the pickle ({Remaining} bytes remain).");
        try
        {
            return StrictUtf8.GetString(Take((int)length));
        }
        catch (DecoderFallbackException)
        {
            throw new PickleException("a string is not valid UTF-8.");
        }
    }

    /// <summary>A newline-terminated ASCII line of at most <paramref name="maxLength"/> characters (the newline is consumed).</summary>
    public string ReadLine(int maxLength)
    {
        int limit = Math.Min(Remaining, maxLength + 1);
        int newline = Array.IndexOf(data, (byte)'\n', Position, limit);
        if (newline < 0)
            throw new PickleException($"a GLOBAL argument has no newline within {maxLength} bytes.");
        ReadOnlySpan<byte> line = Take(newline - Position);
        Position++;
        foreach (byte b in line)
        {
            if (b is < 0x20 or > 0x7e)
                throw new PickleException("a GLOBAL argument holds a non-printable or non-ASCII byte.");
        }
        return Encoding.ASCII.GetString(line);
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > Remaining)
            throw new PickleException($"the pickle ends {length - Remaining} byte(s) early (truncated).");
        var span = new ReadOnlySpan<byte>(data, Position, length);
        Position += length;
        return span;
    }
}
