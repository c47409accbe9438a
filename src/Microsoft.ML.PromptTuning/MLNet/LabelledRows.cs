using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

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
            string value;
            try
            {
                value = labelReader();
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{what} row {texts.Count - 1}: {e.Message}", e);
            }
            // A missing text label (null reads as empty) would otherwise become a class named "".
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"{what} row {texts.Count - 1}: label column '{labelColumnName}' is empty or missing.");
            labels.Add(value);
        }
        if (texts.Count == 0)
            throw new ArgumentException($"The {what} data has no rows.");
        return new LabelledRows(texts, labels);
    }

    /// <summary>The verbalizer's labels: <paramref name="given"/> words, or the label values themselves in the column's order.</summary>
    /// <exception cref="ArgumentException">A single class, or a label value without words; the message names the column.</exception>
    public LabelWords ResolveLabelWords(LabelColumn label, LabelWords? given, string labelColumnName)
    {
        var labels = label.Kind == LabelKind.Text ? Labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : label.KeyValues.ToList();
        var words = given ?? new LabelWords(labels.Select(l => new KeyValuePair<string, IReadOnlyList<string>>(l, [l])));
        if (words.Count < 2)
            throw new ArgumentException($"Label column '{labelColumnName}' has a single class ({string.Join(", ", words.Labels)}); a classifier needs at least two.");
        foreach (string value in Labels.Distinct())
            if (!words.Labels.Contains(value))
                throw new ArgumentException($"Label '{value}' of column '{labelColumnName}' has no label words; the verbalizer knows {string.Join(", ", words.Labels)}.");
        return words;
    }

    /// <summary>The rows as training examples: placeholder texts and the label's index in <paramref name="words"/>.</summary>
    public List<PromptExample> Examples(TextColumnBinding binding, LabelWords words, string what)
    {
        var indices = words.Labels.Select((label, index) => (label, index)).ToDictionary(p => p.label, p => p.index, StringComparer.Ordinal);
        var examples = new List<PromptExample>(Texts.Count);
        for (int i = 0; i < Texts.Count; i++)
        {
            if (!indices.TryGetValue(Labels[i], out int index))
                throw new ArgumentException($"{what} row {i} has label '{Labels[i]}', which the verbalizer does not know ({string.Join(", ", words.Labels)}).");
            examples.Add(new PromptExample(binding.Row(Texts[i]), index));
        }
        return examples;
    }
}
