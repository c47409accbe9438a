using System.Buffers.Binary;
using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>The validated JSON header of a safetensors file: every tensor's dtype, shape and byte range, and the metadata.</summary>
/// <remarks>
/// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (space-padded), then the data section. Parsing
/// trusts nothing: the length is bounded before anything is allocated and every range is checked against the data section.
/// </remarks>
internal sealed class SafeTensorsHeader
{
    /// <summary>The largest header accepted (100 MB), as in the reference implementation.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The JSON key holding the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    private SafeTensorsHeader(long dataStart, IReadOnlyDictionary<string, SafeTensorsEntry> entries, IReadOnlyList<string> names,
        IReadOnlyDictionary<string, string> metadata)
    {
        DataStart = dataStart;
        Entries = entries;
        Names = names;
        Metadata = metadata;
    }

    /// <summary>The file offset of the data section: 8 + header length.</summary>
    public long DataStart { get; }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorsEntry> Entries { get; }

    /// <summary>The tensor names in header order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and validates the header of the mapped safetensors <paramref name="file"/>.</summary>
    /// <exception cref="CheckpointFormatException">The header is truncated, oversized, not JSON, describes invalid tensors, or
    /// its byte ranges overlap or leave bytes of the data section uncovered.</exception>
    public static SafeTensorsHeader Read(MappedFile file)
    {
        if (file.Length < 8)
            throw Error(file, $"the file is {file.Length} bytes, shorter than the 8-byte header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file.Bytes(0, 8));
        if (headerLength > MaxHeaderBytes)
            throw Error(file, $"the header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit.");
        if ((long)headerLength > file.Length - 8)
            throw Error(file, $"the header length {headerLength} runs past the end of the file ({file.Length} bytes); the file is truncated.");
        if (headerLength < 2)
            throw Error(file, $"the header length {headerLength} is too short to hold a JSON object.");

        ReadOnlySpan<byte> json = file.Bytes(8, (int)headerLength);
        if (json[0] != (byte)'{')
            throw Error(file, "the header does not start with '{'.");
        // The JSON reader accepts invalid UTF-8 inside strings and fails only when a name is decoded, with another exception type.
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw Error(file, "the header is not valid UTF-8.");
        long dataStart = 8 + (long)headerLength;
        return Parse(file, json, dataStart, file.Length - dataStart);
    }

    private static SafeTensorsHeader Parse(MappedFile file, ReadOnlySpan<byte> json, long dataStart, long dataLength)
    {
        var entries = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        var names = new List<string>();
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            // Trailing bytes after the object may only be the spaces that pad the header to 8-byte alignment.
            foreach (byte trailing in json[(int)reader.BytesConsumed..])
            {
                if (trailing is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0))
                    throw Error(file, "the header has bytes after its JSON object other than padding.");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Error(file, $"the header lists '{property.Name}' twice.");
                if (property.Name == MetadataKey)
                {
                    metadata = ParseMetadata(file, property.Value);
                    continue;
                }
                SafeTensorsEntry entry = ParseEntry(file, property.Name, property.Value, dataLength);
                entries.Add(entry.Info.Name, entry);
                names.Add(entry.Info.Name);
            }
        }
        catch (JsonException exception)
        {
            throw new CheckpointFormatException(file.Path, $"the header is not valid JSON: {exception.Message}", exception);
        }
        CheckLayout(file, entries.Values, dataLength);
        return new SafeTensorsHeader(dataStart, entries, names.AsReadOnly(), metadata);
    }

    private static Dictionary<string, string> ParseMetadata(MappedFile file, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(file, $"'{MetadataKey}' is a JSON {value.ValueKind}, not an object of strings.");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Error(file, $"'{MetadataKey}' entry '{item.Name}' is a JSON {item.Value.ValueKind}, not a string.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Error(file, $"'{MetadataKey}' lists '{item.Name}' twice.");
        }
        return metadata;
    }

    private static SafeTensorsEntry ParseEntry(MappedFile file, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(file, $"tensor '{name}' is described by a JSON {value.ValueKind}, not an object.");
        string dtypeName = RequireProperty(file, name, value, "dtype", JsonValueKind.String).GetString()!;
        if (!TensorDTypeExtensions.TryParseSafeTensorsName(dtypeName, out TensorDType dtype))
            throw Error(file, $"tensor '{name}' has unsupported dtype '{dtypeName}'.");
        long[] shape = ReadIntegers(file, name, RequireProperty(file, name, value, "shape", JsonValueKind.Array), "shape");
        long[] offsets = ReadIntegers(file, name, RequireProperty(file, name, value, "data_offsets", JsonValueKind.Array), "data_offsets");
        if (offsets.Length != 2)
            throw Error(file, $"tensor '{name}' has {offsets.Length} data_offsets; exactly 2 (begin, end) are required.");
        (long begin, long end) = (offsets[0], offsets[1]);
        if (begin > end)
            throw Error(file, $"tensor '{name}' has data_offsets [{begin}, {end}] with begin after end.");
        if (end > dataLength)
            throw Error(file, $"tensor '{name}' has data_offsets [{begin}, {end}] past the end of the {dataLength}-byte data section; the file is truncated or corrupt.");

        var info = new TensorInfo(name, dtype, shape);
        long expectedBytes;
        try
        {
            expectedBytes = info.ByteLength;
        }
        catch (OverflowException)
        {
            throw Error(file, $"tensor '{name}' has shape [{string.Join(", ", shape)}] whose byte size overflows 64 bits.");
        }
        if (end - begin != expectedBytes)
            throw Error(file, $"tensor '{name}' ({dtypeName} [{string.Join(", ", shape)}]) needs {expectedBytes} bytes but data_offsets [{begin}, {end}] span {end - begin}.");
        return new SafeTensorsEntry(info, begin, end);
    }

    private static JsonElement RequireProperty(MappedFile file, string name, JsonElement value, string property, JsonValueKind kind)
    {
        if (!value.TryGetProperty(property, out JsonElement element))
            throw Error(file, $"tensor '{name}' has no '{property}'.");
        if (element.ValueKind != kind)
            throw Error(file, $"tensor '{name}' has a '{property}' that is a JSON {element.ValueKind}, not a {kind}.");
        return element;
    }

    private static long[] ReadIntegers(MappedFile file, string name, JsonElement array, string property)
    {
        var values = new long[array.GetArrayLength()];
        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
                throw Error(file, $"tensor '{name}' has '{property}' element {index} = {item.GetRawText()}, not a non-negative integer.");
            values[index++] = value;
        }
        return values;
    }

    // As the reference implementation requires: the byte ranges, in order, tile the data section exactly — no overlap,
    // no gap, nothing after the last tensor — so every byte of the file is accounted for.
    private static void CheckLayout(MappedFile file, IEnumerable<SafeTensorsEntry> entries, long dataLength)
    {
        SafeTensorsEntry? previous = null;
        foreach (SafeTensorsEntry entry in entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            long expectedBegin = previous?.End ?? 0;
            if (previous is not null && entry.Begin < previous.End)
                throw Error(file, $"tensors '{previous.Info.Name}' [{previous.Begin}, {previous.End}) and '{entry.Info.Name}' [{entry.Begin}, {entry.End}) overlap.");
            if (entry.Begin > expectedBegin)
                throw Error(file, $"bytes [{expectedBegin}, {entry.Begin}) of the data section belong to no tensor (before '{entry.Info.Name}'); the data_offsets do not cover the data section.");
            previous = entry;
        }
        long covered = previous?.End ?? 0;
        if (covered != dataLength)
            throw Error(file, $"the data section has {dataLength} bytes but the tensors cover only the first {covered}; the data_offsets do not cover the data section.");
    }

    private static CheckpointFormatException Error(MappedFile file, string problem) => new(file.Path, problem);
}
