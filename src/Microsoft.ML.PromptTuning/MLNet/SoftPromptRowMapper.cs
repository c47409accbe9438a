using Microsoft.ML.Data;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Row-at-a-time scoring for <see cref="PredictionEngine{TSrc, TDst}"/>: the added columns are computed on first read of a
/// row and reused for its other columns.
/// </summary>
internal sealed class SoftPromptRowMapper : IRowToRowMapper
{
    private readonly SoftPromptPredictor _predictor;
    private readonly SoftPromptOutputSchema _outputs;
    private readonly IReadOnlyList<DataViewSchema.Column> _textColumns;

    public SoftPromptRowMapper(DataViewSchema inputSchema, SoftPromptPredictor predictor, SoftPromptOutputSchema outputs)
    {
        InputSchema = inputSchema;
        _predictor = predictor;
        _outputs = outputs;
        _textColumns = TextColumnReader.Columns(inputSchema, predictor.Binding.Columns);
        OutputSchema = outputs.Extend(inputSchema);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var columns = dependingColumns.ToList();
        var inputs = columns.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]);
        return columns.Any(c => c.Index >= InputSchema.Count) ? inputs.Concat(_textColumns).Distinct() : inputs;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class Row : DataViewRow
    {
        private readonly SoftPromptRowMapper _parent;
        private readonly DataViewRow _input;
        private readonly HashSet<int> _active;
        private readonly TextColumnReader? _texts;
        private string?[]? _lastTexts;
        private float[] _lastProbabilities = [];
        private float[] _lastRepresentation = [];

        public Row(SoftPromptRowMapper parent, DataViewRow input, HashSet<int> active)
        {
            _parent = parent;
            _input = input;
            _active = active;
            if (active.Any(i => i >= parent.InputSchema.Count))
                _texts = new TextColumnReader(input, parent._textColumns);
        }

        public override DataViewSchema Schema => _parent.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _parent.InputSchema.Count;
            if (column.Index < inputCount)
                return _input.GetGetter<TValue>(_parent.InputSchema[column.Index]);
            var getter = _parent._outputs.Getter(column.Index - inputCount, () => Score().Probabilities, () => Score().Representation);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");
        }

        // Scores the current input once: the getters of one row share the result.
        private (float[] Probabilities, float[] Representation) Score()
        {
            var texts = _texts!.Read();
            if (_lastTexts is null || !texts.SequenceEqual(_lastTexts))
            {
                var (probabilities, representations) = _parent._predictor.Predict([texts], _parent._outputs.MaskRepresentationColumn is not null);
                _lastProbabilities = probabilities[0];
                _lastRepresentation = representations?[0] ?? [];
                _lastTexts = texts;
            }
            return (_lastProbabilities, _lastRepresentation);
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);
    }
}
