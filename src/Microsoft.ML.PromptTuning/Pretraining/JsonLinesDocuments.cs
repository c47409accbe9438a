using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Reads a <c>.jsonl</c> source: one JSON object per line (blank lines skipped), each named field a document.</summary>
internal static class JsonLinesDocuments
{
    /// <summary>The documents of <paramref name="source"/>: per line, one per field in field order.</summary>
    public static IEnumerable<TextDocument> Read(CorpusSource source, CancellationToken cancellationToken)
    {
        using var lines = Utf8LineReader.Open(source.Path);
        while (lines.TryReadLine(out string? line))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            cancellationToken.ThrowIfCancellationRequested();
            foreach (TextDocument document in Parse(line, source, lines.LineNumber))
                yield return document;
        }
    }

    private static IEnumerable<TextDocument> Parse(string line, CorpusSource source, long lineNumber)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new CorpusFormatException(source.Path, lineNumber, $"the line is not valid JSON: {e.Message}", e);
        }
        using (json)
            return JsonFieldValues.Documents(json.RootElement, source, $"line {lineNumber}", lineNumber);
    }
}
