using System.Text.Json;
using System.Text.Unicode;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Reads a <c>.json</c> source holding either an object of records (<c>{"0": {"text_a": …}, …}</c>, as the GLUE subset files
/// are) or an array of records; each named field of each record is a document, in file order.
/// </summary>
internal static class JsonFileDocuments
{
    /// <summary>The documents of <paramref name="source"/>; the whole file is parsed at once.</summary>
    public static IEnumerable<TextDocument> Read(CorpusSource source, CancellationToken cancellationToken)
    {
        if (!File.Exists(source.Path))
            throw new FileNotFoundException($"Corpus source file not found: {source.Path}", source.Path);
        using JsonDocument json = Parse(source.Path);
        JsonElement root = json.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty entry in root.EnumerateObject())
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (TextDocument document in JsonFieldValues.Documents(entry.Value, source, $"entry \"{entry.Name}\"", lineNumber: null))
                    yield return document;
            }
        }
        else if (root.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement element in root.EnumerateArray())
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (TextDocument document in JsonFieldValues.Documents(element, source, $"element [{index}]", lineNumber: null))
                    yield return document;
                index++;
            }
        }
        else
        {
            throw new CorpusFormatException(source.Path, null,
                $"the top-level JSON value is a {root.ValueKind}; expected an object of records or an array of records.");
        }
    }

    private static JsonDocument Parse(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        ReadOnlyMemory<byte> content = bytes.AsMemory();
        if (content.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            content = content[3..];
        if (!Utf8.IsValid(content.Span))
            throw new CorpusFormatException(path, FirstInvalidLine(bytes, path), "the line is not valid UTF-8.");
        try
        {
            return JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            throw new CorpusFormatException(path, e.LineNumber + 1, $"the file is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The line holding the first invalid UTF-8 byte, found by decoding line by line.</summary>
    private static long? FirstInvalidLine(byte[] bytes, string path)
    {
        using var lines = new Utf8LineReader(new MemoryStream(bytes, writable: false), path);
        try
        {
            while (lines.TryReadLine(out _))
            {
            }
        }
        catch (CorpusFormatException e)
        {
            return e.LineNumber;
        }
        return null;
    }
}
