namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Reads a <c>.tsv</c> or <c>.csv</c> source: a header row naming the columns, then one record per row; each named column's
/// value is a document. TSV fields are split at tabs with no quoting (GLUE's files hold bare quote characters); CSV follows
/// RFC 4180. Every row must have as many fields as the header.
/// </summary>
internal static class DelimitedDocuments
{
    /// <summary>The documents of <paramref name="source"/>: per row, one per named column in the order given.</summary>
    public static IEnumerable<TextDocument> Read(CorpusSource source, CancellationToken cancellationToken)
    {
        using var lines = Utf8LineReader.Open(source.Path);
        var reader = source.Format == CorpusFormat.Csv ? new CsvRecordReader(lines, source.Path) : null;
        var fields = new List<string>();
        if (!TryReadRow(lines, reader, fields, out _))
            throw new CorpusFormatException(source.Path, null, "the file is empty; expected a header row.");
        string[] header = fields.ToArray();
        int[] columns = source.Fields.Select(name => ColumnIndex(header, name, source)).ToArray();
        while (TryReadRow(lines, reader, fields, out long lineNumber))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (fields.Count != header.Length)
                throw new CorpusFormatException(source.Path, lineNumber,
                    $"the row has {fields.Count} fields but the header has {header.Length} ({string.Join(", ", header)}).");
            for (int i = 0; i < columns.Length; i++)
                yield return new TextDocument([fields[columns[i]]], $"line {lineNumber}", source.Fields[i]);
        }
    }

    private static bool TryReadRow(Utf8LineReader lines, CsvRecordReader? csv, List<string> fields, out long lineNumber)
    {
        if (csv is not null)
        {
            bool read = csv.TryReadRecord(fields);
            lineNumber = csv.RecordLine;
            return read;
        }
        fields.Clear();
        string? line;
        do
        {
            if (!lines.TryReadLine(out line))
            {
                lineNumber = lines.LineNumber;
                return false;
            }
        }
        while (line.Length == 0);
        lineNumber = lines.LineNumber;
        fields.AddRange(line.Split('\t'));
        return true;
    }

    private static int ColumnIndex(string[] header, string name, CorpusSource source)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0)
            throw new CorpusFormatException(source.Path, 1,
                $"the header has no column '{name}'; columns present: {string.Join(", ", header)}.");
        return index;
    }
}
