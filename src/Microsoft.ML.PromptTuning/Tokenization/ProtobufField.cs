namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>One field of a serialized protobuf message: its number, wire type, value (for varints) and raw bytes.</summary>
internal readonly record struct ProtobufField(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Payload, ReadOnlyMemory<byte> Raw)
{
    public const int VarintType = 0;
    public const int LengthDelimitedType = 2;
}
