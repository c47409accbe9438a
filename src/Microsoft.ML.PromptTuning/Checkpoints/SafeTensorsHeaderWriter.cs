using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Lays out a safetensors header: tensors in name order with contiguous offsets, JSON padded with spaces to 8-byte alignment.</summary>
internal static class SafeTensorsHeaderWriter
{
    /// <summary>The tensors in the order their data is written, each with its byte range.</summary>
    public static IReadOnlyList<SafeTensorsEntry> Layout(IEnumerable<TensorInfo> tensors)
    {
        var entries = new List<SafeTensorsEntry>();
        long offset = 0;
        foreach (TensorInfo info in tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            long end = checked(offset + info.ByteLength);
            entries.Add(new SafeTensorsEntry(info, offset, end));
            offset = end;
        }
        return entries;
    }

    /// <summary>The 8-byte little-endian length followed by the padded JSON header, ready to precede the data.</summary>
    public static byte[] Encode(IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var json = new MemoryStream();
        // Relaxed escaping writes names as UTF-8, as the reference (serde_json) writer does, rather than as \u escapes.
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(SafeTensorsHeader.MetadataKey);
                foreach ((string key, string value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            foreach (SafeTensorsEntry entry in entries)
            {
                writer.WriteStartObject(entry.Info.Name);
                writer.WriteString("dtype", entry.Info.DType.ToSafeTensorsName());
                WriteArray(writer, "shape", entry.Info.Shape);
                WriteArray(writer, "data_offsets", [entry.Begin, entry.End]);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        int jsonLength = (int)json.Length;
        int paddedLength = (jsonLength + 7) / 8 * 8;
        var header = new byte[8 + paddedLength];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)paddedLength);
        json.GetBuffer().AsSpan(0, jsonLength).CopyTo(header.AsSpan(8));
        header.AsSpan(8 + jsonLength).Fill((byte)' ');
        return header;
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, long[] values)
    {
        writer.WriteStartArray(name);
        foreach (long value in values)
            writer.WriteNumberValue(value);
        writer.WriteEndArray();
    }
}
