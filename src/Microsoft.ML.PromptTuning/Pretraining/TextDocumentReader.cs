namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Streams the documents of a <see cref="CorpusSource"/> in file order, whatever its format.</summary>
public static class TextDocumentReader
{
    /// <summary>
    /// Reads <paramref name="source"/> lazily: a <c>.txt</c> file yields one document per blank-line-separated block of lines
    /// (each line a paragraph); structured files yield one single-paragraph document per named field of each record, in field
    /// order. Text is returned as found; whitespace normalisation and empty-text filtering are the builder's job.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist (thrown when enumeration starts).</exception>
    /// <exception cref="CorpusFormatException">The file is malformed: invalid UTF-8 or JSON, a missing field or column, a
    /// ragged row; the message names the file and the line or record.</exception>
    public static IEnumerable<TextDocument> Read(CorpusSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Format switch
        {
            CorpusFormat.Text => TextFileDocuments.Read(source, cancellationToken),
            CorpusFormat.JsonLines => JsonLinesDocuments.Read(source, cancellationToken),
            CorpusFormat.Json => JsonFileDocuments.Read(source, cancellationToken),
            _ => DelimitedDocuments.Read(source, cancellationToken),
        };
    }
}
