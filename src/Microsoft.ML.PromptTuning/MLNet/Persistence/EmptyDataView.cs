using Microsoft.ML.Data;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>A data view with a schema and no rows, to fit the saved model's built-in transformers without data.</summary>
internal sealed class EmptyDataView(DataViewSchema schema) : IDataView
{
    public bool CanShuffle => true;

    public DataViewSchema Schema { get; } = schema;

    public long? GetRowCount() => 0;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(Schema);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(Schema)];

    private sealed class Cursor(DataViewSchema schema) : DataViewRowCursor
    {
        public override DataViewSchema Schema { get; } = schema;
        public override long Position => -1;
        public override long Batch => 0;
        public override bool MoveNext() => false;
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => throw new InvalidOperationException("The data view has no rows.");
        public override ValueGetter<DataViewRowId> GetIdGetter() => throw new InvalidOperationException("The data view has no rows.");
        public override bool IsColumnActive(DataViewSchema.Column column) => true;
    }
}
