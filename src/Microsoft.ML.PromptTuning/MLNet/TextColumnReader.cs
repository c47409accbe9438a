using Microsoft.ML.Data;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>Reads the text columns of a row (text-typed; missing values read as null) in binding order.</summary>
internal sealed class TextColumnReader
{
    private readonly ValueGetter<ReadOnlyMemory<char>>[] _getters;

    public TextColumnReader(DataViewRow row, IReadOnlyList<DataViewSchema.Column> columns)
    {
        _getters = columns.Select(c => row.GetGetter<ReadOnlyMemory<char>>(c)).ToArray();
    }

    /// <summary>The input columns for <paramref name="names"/>; an absent or non-text column is an error naming it.</summary>
    public static IReadOnlyList<DataViewSchema.Column> Columns(DataViewSchema schema, IReadOnlyList<string> names) =>
        names.Select(name =>
        {
            var column = schema.GetColumnOrNull(name)
                ?? throw new ArgumentException($"Text column '{name}' not found; the data has {string.Join(", ", schema.Select(c => c.Name))}.");
            if (column.Type is not TextDataViewType)
                throw new ArgumentException($"Column '{name}' has type {column.Type}; a prompt template reads text columns.");
            return column;
        }).ToList();

    public string?[] Read()
    {
        var texts = new string?[_getters.Length];
        for (int i = 0; i < _getters.Length; i++)
        {
            ReadOnlyMemory<char> value = default;
            _getters[i](ref value);
            texts[i] = value.ToString();
        }
        return texts;
    }
}
