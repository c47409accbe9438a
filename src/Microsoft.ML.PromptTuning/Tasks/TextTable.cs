using Microsoft.ML.Data;

namespace Microsoft.ML.PromptTuning.Tasks;

/// <summary>An in-memory table of text columns as an <see cref="IDataView"/> (missing cells read as empty text).</summary>
public sealed class TextTable : IDataView
{
    private readonly IReadOnlyList<string?[]> _rows;

    public TextTable(IReadOnlyList<string> columns, IReadOnlyList<string?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Count)
            throw new ArgumentException($"Duplicate column names: {string.Join(", ", columns)}.", nameof(columns));
        foreach (var row in rows)
            if (row.Length != columns.Count)
                throw new ArgumentException($"A row has {row.Length} cells but the table has {columns.Count} columns.", nameof(rows));
        var builder = new DataViewSchema.Builder();
        foreach (string column in columns)
            builder.AddColumn(column, TextDataViewType.Instance);
        Schema = builder.ToSchema();
        _rows = rows;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => _rows.Count;

    public long? GetRowCount() => _rows.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    /// <summary>The same rows under new column names (one per column, in order).</summary>
    public TextTable WithColumnNames(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != Schema.Count)
            throw new ArgumentException($"{names.Count} names for {Schema.Count} columns.", nameof(names));
        return new TextTable(names, _rows);
    }

    /// <summary>The rows <paramref name="indices"/> of this table, as a new table.</summary>
    public TextTable Subset(IEnumerable<int> indices) => new(Schema.Select(c => c.Name).ToList(), indices.Select(i => _rows[i]).ToList());

    private sealed class Cursor(TextTable table, HashSet<int> active) : DataViewRowCursor
    {
        private int _position = -1;

        public override DataViewSchema Schema => table.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext() => ++_position < table._rows.Count;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (typeof(TValue) != typeof(ReadOnlyMemory<char>))
                throw new InvalidOperationException($"Column '{column.Name}' is text, not {typeof(TValue).Name}.");
            ValueGetter<ReadOnlyMemory<char>> getter = (ref ReadOnlyMemory<char> value) => value = (table._rows[_position][column.Index] ?? "").AsMemory();
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);
    }
}
