namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>The text columns and label of every row of a data view, read once for training.</summary>
internal sealed record LabelledRows(IReadOnlyList<string?[]> Texts, IReadOnlyList<string> Labels)
{
    public static LabelledRows Read(IDataView data, IReadOnlyList<string> textColumns, LabelColumn label, string labelColumnName, string what)
    {
        var columns = TextColumnReader.Columns(data.Schema, textColumns);
        var labelSchemaColumn = data.Schema[labelColumnName];
        var texts = new List<string?[]>();
        var labels = new List<string>();
        using var cursor = data.GetRowCursor(columns.Append(labelSchemaColumn));
        var reader = new TextColumnReader(cursor, columns);
        var labelReader = label.Reader(cursor, labelSchemaColumn);
        while (cursor.MoveNext())
        {
            texts.Add(reader.Read());
            try
            {
                labels.Add(labelReader());
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{what} row {texts.Count - 1}: {e.Message}", e);
            }
        }
        if (texts.Count == 0)
            throw new ArgumentException($"The {what} data has no rows.");
        return new LabelledRows(texts, labels);
    }
}
