using Microsoft.ML.Data;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// How a label column's values become the verbalizer's label names and back: text as is, booleans as <c>false</c>/<c>true</c>,
/// keys as their key values (or their 1-based number when the column has none). Also the output column type it implies.
/// </summary>
public sealed record LabelColumn(LabelKind Kind, IReadOnlyList<string> KeyValues)
{
    /// <summary>Inspects the label column of <paramref name="schema"/>; unsupported types are an error naming the column and its type.</summary>
    public static LabelColumn From(DataViewSchema schema, string columnName)
    {
        var column = schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException($"Label column '{columnName}' not found; the data has {string.Join(", ", schema.Select(c => c.Name))}.", nameof(columnName));
        switch (column.Type)
        {
            case TextDataViewType:
                return new LabelColumn(LabelKind.Text, []);
            case BooleanDataViewType:
                return new LabelColumn(LabelKind.Boolean, ["false", "true"]);
            case KeyDataViewType key when key.RawType == typeof(uint):
                var names = new VBuffer<ReadOnlyMemory<char>>();
                bool hasValues = column.Annotations.Schema.GetColumnOrNull("KeyValues") is not null;
                if (hasValues)
                    column.GetKeyValues(ref names);
                var values = hasValues
                    ? names.DenseValues().Select(v => v.ToString()).ToList()
                    : Enumerable.Range(1, checked((int)key.Count)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
                return new LabelColumn(LabelKind.Key, values);
            default:
                throw new ArgumentException($"Label column '{columnName}' has type {column.Type}; use text, boolean or a key type (e.g. MapValueToKey).", nameof(columnName));
        }
    }

    /// <summary>Reads the label of the cursor's current row as a label name.</summary>
    public Func<string> Reader(DataViewRow row, DataViewSchema.Column column)
    {
        switch (Kind)
        {
            case LabelKind.Text:
                var text = row.GetGetter<ReadOnlyMemory<char>>(column);
                return () => { ReadOnlyMemory<char> v = default; text(ref v); return v.ToString(); };
            case LabelKind.Boolean:
                var flag = row.GetGetter<bool>(column);
                return () => { bool v = false; flag(ref v); return v ? "true" : "false"; };
            default:
                var key = row.GetGetter<uint>(column);
                return () =>
                {
                    uint v = 0;
                    key(ref v);
                    if (v == 0 || v > KeyValues.Count)
                        throw new InvalidDataException($"Label column '{column.Name}' holds a missing or out-of-range key ({v}).");
                    return KeyValues[(int)v - 1];
                };
        }
    }

    /// <summary>The output type of <c>PredictedLabel</c>: the label's type.</summary>
    public DataViewType PredictedLabelType => Kind switch
    {
        LabelKind.Text => TextDataViewType.Instance,
        LabelKind.Boolean => BooleanDataViewType.Instance,
        _ => new KeyDataViewType(typeof(uint), KeyValues.Count),
    };
}
