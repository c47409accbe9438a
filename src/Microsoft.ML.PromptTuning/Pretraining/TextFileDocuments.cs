namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Reads a <c>.txt</c> source: one paragraph per line; blank (or whitespace-only) lines end a document.</summary>
internal static class TextFileDocuments
{
    /// <summary>The documents of <paramref name="source"/> in file order.</summary>
    public static IEnumerable<TextDocument> Read(CorpusSource source, CancellationToken cancellationToken)
    {
        using var lines = Utf8LineReader.Open(source.Path);
        var paragraphs = new List<string>();
        long firstLine = 0;
        while (lines.TryReadLine(out string? line))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                if (paragraphs.Count > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return new TextDocument(paragraphs, $"line {firstLine}", Field: null);
                    paragraphs = [];
                }
                continue;
            }
            if (paragraphs.Count == 0)
                firstLine = lines.LineNumber;
            paragraphs.Add(line);
        }
        if (paragraphs.Count > 0)
            yield return new TextDocument(paragraphs, $"line {firstLine}", Field: null);
    }
}
