using Microsoft.ML.Data;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// The lazily scored output of a <see cref="SoftPromptTransformer"/>: input columns pass through; the added columns are
/// computed a chunk of rows at a time, in length-bucketed batches, by a second cursor reading the texts ahead.
/// </summary>
internal sealed class SoftPromptScoredDataView : IDataView
{
    /// <summary>Rows read ahead and scored together (several batches, so length bucketing has room).</summary>
    private const int ChunkBatches = 8;

    private readonly IDataView _input;
    private readonly SoftPromptPredictor _predictor;
    private readonly SoftPromptOutputSchema _outputs;
    private readonly IReadOnlyList<DataViewSchema.Column> _textColumns;

    public SoftPromptScoredDataView(IDataView input, SoftPromptPredictor predictor, SoftPromptOutputSchema outputs)
    {
        _input = input;
        _predictor = predictor;
        _outputs = outputs;
        _textColumns = TextColumnReader.Columns(input.Schema, predictor.Binding.Columns);
        Schema = outputs.Extend(input.Schema);
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        int inputCount = _input.Schema.Count;
        var inputNeeded = _input.Schema.Where(c => needed.Contains(c.Index)).ToList();
        bool scoring = needed.Any(i => i >= inputCount);
        var main = _input.GetRowCursor(inputNeeded);
        var ahead = scoring ? _input.GetRowCursor(_textColumns) : null;
        return new Cursor(this, main, ahead, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly SoftPromptScoredDataView _parent;
        private readonly DataViewRowCursor _main;
        private readonly DataViewRowCursor? _ahead;
        private readonly TextColumnReader? _texts;
        private readonly HashSet<int> _active;
        private float[][] _chunk = [];
        private float[][]? _chunkRepresentations;
        private long _chunkStart;

        public Cursor(SoftPromptScoredDataView parent, DataViewRowCursor main, DataViewRowCursor? ahead, HashSet<int> active)
        {
            _parent = parent;
            _main = main;
            _ahead = ahead;
            _texts = ahead is null ? null : new TextColumnReader(ahead, parent._textColumns);
            _active = active;
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _main.Position;

        public override long Batch => _main.Batch;

        public override bool MoveNext()
        {
            if (!_main.MoveNext())
                return false;
            if (_ahead is not null && Position >= _chunkStart + _chunk.Length)
                ScoreNextChunk();
            return true;
        }

        private void ScoreNextChunk()
        {
            _chunkStart = Position;
            var rows = new List<IReadOnlyList<string?>>();
            int limit = _parent._predictor.BatchSize * ChunkBatches;
            while (rows.Count < limit && _ahead!.MoveNext())
                rows.Add(_texts!.Read());
            (_chunk, _chunkRepresentations) = _parent._predictor.Predict(rows, _parent._outputs.MaskRepresentationColumn is not null, firstRow: _chunkStart);
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _parent._input.Schema.Count;
            if (column.Index < inputCount)
                return _main.GetGetter<TValue>(_parent._input.Schema[column.Index]);
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested from this cursor.");
            var getter = _parent._outputs.Getter(column.Index - inputCount, () => _chunk[Position - _chunkStart], () => _chunkRepresentations![Position - _chunkStart]);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _main.Dispose();
                _ahead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
