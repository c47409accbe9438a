using System.Text.Json;
using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tasks;

/// <summary>
/// Reads a data file into a <see cref="TextTable"/>: <c>.tsv</c> (header, tab-separated, no quoting, as GLUE writes it),
/// <c>.csv</c> (header, RFC 4180 quoting), <c>.jsonl</c> (an object per line) and <c>.json</c> (a list of objects or
/// <c>{id: object}</c>). Only the requested columns are kept; every value is read as text.
/// </summary>
public static class TabularFile
{
    /// <summary>
    /// Loads <paramref name="columns"/> of <paramref name="path"/>, in the format its extension names or, when given,
    /// <paramref name="format"/> (an extension such as <c>.tsv</c>, for files named otherwise); a missing column or malformed row
    /// is an error naming the file and line.
    /// </summary>
    public static TextTable Load(string path, IReadOnlyList<string> columns, string? format = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Data file not found: {path}", path);
        var rows = (format ?? Path.GetExtension(path)).ToLowerInvariant() switch
        {
            ".tsv" => ReadDelimited(path, columns, csv: false),
            ".csv" => ReadDelimited(path, columns, csv: true),
            ".jsonl" => ReadJsonLines(path, columns),
            ".json" => ReadJson(path, columns),
            var other => throw new ArgumentException($"{path}: unsupported extension '{other}' (use .tsv, .csv, .jsonl or .json)."),
        };
        return new TextTable(columns, rows);
    }

    private static List<string?[]> ReadDelimited(string path, IReadOnlyList<string> columns, bool csv)
    {
        using var lines = Utf8LineReader.Open(path);
        var csvReader = csv ? new CsvRecordReader(lines, path) : null;
        var fields = new List<string>();
        bool Next()
        {
            if (csvReader is not null)
                return csvReader.TryReadRecord(fields);
            if (!lines.TryReadLine(out string? line))
                return false;
            fields.Clear();
            fields.AddRange(line.TrimEnd('\r').Split('\t'));
            return true;
        }
        if (!Next())
            throw new InvalidDataException($"{path}: the file is empty; a header row is required.");
        var header = fields.Select(f => f.Trim().TrimStart('\uFEFF')).ToList();
        int[] indices = columns.Select(c => header.IndexOf(c) is int i and >= 0 ? i
            : throw new ArgumentException($"{path}: column '{c}' not found; the header has {string.Join(", ", header)}.")).ToArray();
        var rows = new List<string?[]>();
        while (Next())
        {
            if (fields.Count == 1 && fields[0].Length == 0)
                continue;
            if (fields.Count < header.Count)
                throw new InvalidDataException($"{path}: line {lines.LineNumber} has {fields.Count} fields, the header {header.Count}.");
            rows.Add(indices.Select(i => (string?)fields[i]).ToArray());
        }
        return rows;
    }

    private static List<string?[]> ReadJsonLines(string path, IReadOnlyList<string> columns)
    {
        var rows = new List<string?[]>();
        using var lines = Utf8LineReader.Open(path);
        while (lines.TryReadLine(out string? line))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                rows.Add(Row(document.RootElement, columns, $"{path}: line {lines.LineNumber}"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: line {lines.LineNumber} is not valid JSON ({e.Message}).", e);
            }
        }
        return rows;
    }

    private static List<string?[]> ReadJson(string path, IReadOnlyList<string> columns)
    {
        byte[] bytes = File.ReadAllBytes(path);
        // The JSON reader accepts invalid UTF-8 inside strings and fails only when a value is read, with another exception type.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            throw new InvalidDataException($"{path}: not valid UTF-8 (at byte {FirstInvalidUtf8Byte(bytes)}); save the file as UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            var root = document.RootElement;
            var records = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().Select((r, i) => (r, $"{path}: item {i}")).ToList(),
                JsonValueKind.Object => root.EnumerateObject().Select(p => (p.Value, $"{path}: entry '{p.Name}'")).ToList(),
                _ => throw new InvalidDataException($"{path}: expected a list of objects or an object of objects."),
            };
            return records.Select(r => Row(r.Item1, columns, r.Item2)).ToList();
        }
    }

    private static int FirstInvalidUtf8Byte(byte[] bytes)
    {
        try
        {
            new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetCharCount(bytes);
            return -1;
        }
        catch (System.Text.DecoderFallbackException e)
        {
            return e.Index;
        }
    }

    private static string?[] Row(JsonElement record, IReadOnlyList<string> columns, string where)
    {
        if (record.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where} is not a JSON object.");
        return columns.Select(c => record.TryGetProperty(c, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null => null,
                _ => value.GetRawText(),
            }
            : throw new ArgumentException($"{where} has no field '{c}'.")).ToArray();
    }
}
