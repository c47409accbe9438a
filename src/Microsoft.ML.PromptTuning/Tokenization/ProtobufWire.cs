namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>The few pieces of the protobuf wire format needed to read and patch a SentencePiece model.</summary>
/// <remarks>Malformed input raises <see cref="InvalidDataException"/> without a file name; callers add it.</remarks>
internal static class ProtobufWire
{
    private const int Fixed64Type = 1;
    private const int Fixed32Type = 5;

    /// <summary>Splits a serialized message into its top-level fields, in order.</summary>
    public static List<ProtobufField> ReadFields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtobufField>();
        ReadOnlySpan<byte> span = message.Span;
        int position = 0;
        while (position < span.Length)
        {
            int start = position;
            ulong tag = ReadVarint(span, ref position);
            int number = checked((int)(tag >> 3));
            int wireType = (int)(tag & 7);
            if (number == 0)
                throw new InvalidDataException($"invalid protobuf field number 0 at byte {start}");
            ulong varint = 0;
            int payloadStart = position;
            int payloadLength = wireType switch
            {
                ProtobufField.VarintType => VarintLength(span, position, out varint),
                Fixed64Type => 8,
                ProtobufField.LengthDelimitedType => ReadLength(span, ref position, out payloadStart),
                Fixed32Type => 4,
                _ => throw new InvalidDataException($"unsupported protobuf wire type {wireType} at byte {start}"),
            };
            if (payloadLength > span.Length - payloadStart)
                throw new InvalidDataException($"protobuf field {number} at byte {start} runs past the end of the data");
            position = payloadStart + payloadLength;
            fields.Add(new ProtobufField(number, wireType, varint,
                message.Slice(payloadStart, payloadLength), message[start..position]));
        }
        return fields;
    }

    /// <summary>Reads the value of a varint field as protobuf's <c>int32</c> (negative values are sign-extended).</summary>
    public static int AsInt32(ProtobufField field) => field.WireType == ProtobufField.VarintType
        ? unchecked((int)(long)field.Varint)
        : throw new InvalidDataException($"protobuf field {field.Number} is not a varint");

    /// <summary>Writes a varint field (tag and value) with protobuf's <c>int32</c> encoding.</summary>
    public static void WriteInt32Field(Stream output, int number, int value)
    {
        WriteVarint(output, (ulong)(number << 3 | ProtobufField.VarintType));
        WriteVarint(output, unchecked((ulong)(long)value));
    }

    /// <summary>Writes a length-delimited field (tag, length and bytes).</summary>
    public static void WriteBytesField(Stream output, int number, ReadOnlySpan<byte> payload)
    {
        WriteVarint(output, (ulong)(number << 3 | ProtobufField.LengthDelimitedType));
        WriteVarint(output, (ulong)payload.Length);
        output.Write(payload);
    }

    private static int ReadLength(ReadOnlySpan<byte> span, ref int position, out int payloadStart)
    {
        ulong length = ReadVarint(span, ref position);
        if (length > int.MaxValue)
            throw new InvalidDataException($"protobuf length {length} is too large");
        payloadStart = position;
        return (int)length;
    }

    private static int VarintLength(ReadOnlySpan<byte> span, int position, out ulong value)
    {
        int end = position;
        value = ReadVarint(span, ref end);
        return end - position;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
                throw new InvalidDataException("protobuf varint runs past the end of the data");
            byte next = span[position++];
            value |= (ulong)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
                return value;
        }
        throw new InvalidDataException($"protobuf varint longer than 10 bytes ending at byte {position}");
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }
}
