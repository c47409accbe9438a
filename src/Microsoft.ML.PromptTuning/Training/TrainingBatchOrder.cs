using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>
/// The batches of each epoch: rows shuffled with (seed, epoch), grouped by length within windows of 50 batches so batches
/// pad little, and the batch order shuffled again. Batch <c>s</c> is a pure function of (seed, s): resuming reproduces it.
/// </summary>
internal sealed class TrainingBatchOrder
{
    private const int GroupingWindowBatches = 50;
    private readonly IReadOnlyList<(EncodedPrompt Row, int Label)> _rows;
    private readonly int _batchSize;
    private readonly int _seed;
    private int _epoch = -1;
    private List<int[]> _batches = new();

    public TrainingBatchOrder(IReadOnlyList<EncodedPrompt> rows, IReadOnlyList<int> labels, int batchSize, int seed)
    {
        _rows = rows.Select((row, i) => (row, labels[i])).ToList();
        _batchSize = Math.Min(batchSize, rows.Count);
        _seed = seed;
        BatchesPerEpoch = (rows.Count + _batchSize - 1) / _batchSize;
    }

    public int BatchesPerEpoch { get; }

    /// <summary>The rows of 0-based step <paramref name="step"/>.</summary>
    public IReadOnlyList<(EncodedPrompt Row, int Label)> Batch(int step)
    {
        int epoch = step / BatchesPerEpoch;
        if (epoch != _epoch)
        {
            _batches = EpochBatches(epoch);
            _epoch = epoch;
        }
        return _batches[step % BatchesPerEpoch].Select(i => _rows[i]).ToList();
    }

    private List<int[]> EpochBatches(int epoch)
    {
        var random = new Random(unchecked(_seed * 100_003 + epoch));
        int[] order = Enumerable.Range(0, _rows.Count).ToArray();
        random.Shuffle(order);
        var batches = order.Chunk(_batchSize * GroupingWindowBatches)
            .SelectMany(window => window.OrderBy(i => _rows[i].Row.Length).Chunk(_batchSize))
            .ToArray();
        random.Shuffle(batches);
        return batches.ToList();
    }
}
