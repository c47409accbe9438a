namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>
/// A SentencePiece <c>ModelProto</c> read from disk: its pieces, the special ids of its trainer spec, and the bytes to hand
/// to <c>SentencePieceTokenizer.Create</c>, with a negative <c>bos_id</c> (T5 has none) replaced by the unknown id.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers 2.0.1 indexes its piece table with <c>bos_id</c> unconditionally, so T5's <c>bos_id = -1</c> makes
/// <c>Create</c> throw <see cref="IndexOutOfRangeException"/>. The patch happens in memory; the file is never modified.
/// Callers must not emit a beginning-of-sentence token, since the patched id is not a real one.
/// </remarks>
internal sealed class SentencePieceModelFile
{
    // Field numbers from sentencepiece_model.proto.
    private const int PiecesField = 1;          // ModelProto.pieces (repeated SentencePiece)
    private const int TrainerSpecField = 2;     // ModelProto.trainer_spec
    private const int PieceTextField = 1;       // SentencePiece.piece
    private const int UnknownIdField = 40;      // TrainerSpec.unk_id, default 0
    private const int BosIdField = 41;          // TrainerSpec.bos_id, default 1
    private const int EosIdField = 42;          // TrainerSpec.eos_id, default 2
    private const int PadIdField = 43;          // TrainerSpec.pad_id, default -1

    private SentencePieceModelFile(string[] pieces, int unknownId, int endOfSentenceId, int padId, byte[] loadableBytes)
    {
        Pieces = pieces;
        UnknownId = unknownId;
        EndOfSentenceId = endOfSentenceId;
        PadId = padId;
        LoadableBytes = loadableBytes;
    }

    /// <summary>The piece strings, indexed by id.</summary>
    public IReadOnlyList<string> Pieces { get; }

    public int UnknownId { get; }

    public int EndOfSentenceId { get; }

    /// <summary>The padding id, or -1 when the model defines none.</summary>
    public int PadId { get; }

    /// <summary>The model bytes with a valid <c>bos_id</c>, ready for <c>SentencePieceTokenizer.Create</c>.</summary>
    public byte[] LoadableBytes { get; }

    /// <summary>Parses a serialized model; <paramref name="path"/> is used in error messages only.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a SentencePiece model protobuf.</exception>
    public static SentencePieceModelFile Parse(byte[] bytes, string path)
    {
        try
        {
            return ParseCore(bytes);
        }
        catch (Exception e) when (e is InvalidDataException or OverflowException or System.Text.DecoderFallbackException)
        {
            throw new InvalidDataException($"{path} is not a valid SentencePiece model: {e.Message}", e);
        }
    }

    private static SentencePieceModelFile ParseCore(byte[] bytes)
    {
        List<ProtobufField> fields = ProtobufWire.ReadFields(bytes);
        string[] pieces = fields.Where(f => f.Number == PiecesField).Select(ReadPieceText).ToArray();
        if (pieces.Length == 0)
            throw new InvalidDataException("it holds no pieces");
        // SentencePiece itself refuses these; Microsoft.ML.Tokenizers loads them and then fails inside Encode (its trie
        // ends keys at U+0000), so they are rejected here, where the error can name the file.
        int bad = Array.FindIndex(pieces, p => p.Length == 0 || p.Contains('\0'));
        if (bad >= 0)
            throw new InvalidDataException($"piece {bad} is {(pieces[bad].Length == 0 ? "empty" : "a string containing U+0000")}");

        ProtobufField? trainerSpecField = fields.Where(f => f.Number == TrainerSpecField).Cast<ProtobufField?>().LastOrDefault();
        List<ProtobufField> trainerSpec = trainerSpecField is { } spec
            ? ProtobufWire.ReadFields(RequireLengthDelimited(spec).Payload)
            : [];
        int unknownId = ReadId(trainerSpec, UnknownIdField, defaultValue: 0);
        int bosId = ReadId(trainerSpec, BosIdField, defaultValue: 1);
        int eosId = ReadId(trainerSpec, EosIdField, defaultValue: 2);
        int padId = ReadId(trainerSpec, PadIdField, defaultValue: -1);
        RequireInRange("unk_id", unknownId, pieces.Length);
        RequireInRange("eos_id", eosId, pieces.Length);
        if (padId >= pieces.Length)
            throw new InvalidDataException($"pad_id {padId} is outside its {pieces.Length} pieces");

        byte[] loadable = bosId >= 0 && bosId < pieces.Length
            ? bytes
            : Rebuild(fields, trainerSpec, unknownId);
        return new SentencePieceModelFile(pieces, unknownId, eosId, padId, loadable);
    }

    private static string ReadPieceText(ProtobufField pieceField)
    {
        foreach (ProtobufField field in ProtobufWire.ReadFields(RequireLengthDelimited(pieceField).Payload))
            if (field.Number == PieceTextField)
                return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(RequireLengthDelimited(field).Payload.Span);
        throw new InvalidDataException("a piece has no text");
    }

    private static ProtobufField RequireLengthDelimited(ProtobufField field) => field.WireType == ProtobufField.LengthDelimitedType
        ? field
        : throw new InvalidDataException($"protobuf field {field.Number} has wire type {field.WireType}, expected a message");

    private static int ReadId(List<ProtobufField> trainerSpec, int number, int defaultValue)
    {
        int value = defaultValue;
        foreach (ProtobufField field in trainerSpec)
            if (field.Number == number)
                value = ProtobufWire.AsInt32(field);   // protobuf: the last occurrence wins
        return value;
    }

    private static void RequireInRange(string name, int id, int pieceCount)
    {
        if (id < 0 || id >= pieceCount)
            throw new InvalidDataException($"{name} {id} is outside its {pieceCount} pieces");
    }

    /// <summary>Re-serializes the model with every <c>bos_id</c> in the trainer spec replaced by <paramref name="bosId"/>.</summary>
    private static byte[] Rebuild(List<ProtobufField> fields, List<ProtobufField> trainerSpec, int bosId)
    {
        using var spec = new MemoryStream();
        foreach (ProtobufField field in trainerSpec)
        {
            if (field.Number == BosIdField)
                ProtobufWire.WriteInt32Field(spec, BosIdField, bosId);
            else
                spec.Write(field.Raw.Span);
        }

        using var model = new MemoryStream();
        foreach (ProtobufField field in fields)
        {
            if (field.Number == TrainerSpecField)
                ProtobufWire.WriteBytesField(model, TrainerSpecField, spec.GetBuffer().AsSpan(0, (int)spec.Length));
            else
                model.Write(field.Raw.Span);
        }
        return model.ToArray();
    }
}
