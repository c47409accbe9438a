using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>T5's span-corruption objective (15% noise, mean span 3, sentinels <c>&lt;extra_id_k&gt;</c>) on a T5 model.</summary>
public sealed class SpanCorruptionObjective : IPretrainingObjective
{
    private const int IgnoreIndex = -100;
    private readonly T5ForConditionalGeneration _model;
    private readonly int[] _sentinels;
    private readonly int _eosId;
    private readonly double _noiseDensity, _meanSpanLength;

    public SpanCorruptionObjective(T5ForConditionalGeneration model, ModelTokenizer tokenizer, double noiseDensity = 0.15, double meanSpanLength = 3.0)
    {
        _model = model;
        _eosId = tokenizer.Special.EosId;
        _sentinels = Enumerable.Range(0, 100)
            .Select(k => tokenizer.TokenToId($"<extra_id_{k}>") ?? throw new ArgumentException($"The tokenizer has no sentinel token <extra_id_{k}>.", nameof(tokenizer)))
            .ToArray();
        _noiseDensity = noiseDensity;
        _meanSpanLength = meanSpanLength;
    }

    public LanguageModel Model => _model;

    public IReadOnlyCollection<int> SpecialTokenIds => _sentinels.Append(_eosId).Append(_model.Config.PadTokenId).ToArray();

    /// <summary>The raw window; corruption shortens the encoder input to about 0.9 of it.</summary>
    public int WindowLength(int sequenceLength) => sequenceLength;

    public ObjectiveOutput Compute(IReadOnlyList<int[]> windows, long seed, int baselineTokenId)
    {
        var examples = windows.Select((w, row) => SpanCorruption.Corrupt(w, new Random(unchecked((int)(seed * 1_000_003 + row))),
            SentinelId, _eosId, _noiseDensity, _meanSpanLength)).ToList();
        using var scope = NewDisposeScope();
        var device = _model.Device;
        var (inputs, attention) = Pad(examples.Select(e => e.Input).ToList(), _model.Config.PadTokenId, device);
        var (labels, _) = Pad(examples.Select(e => e.Target).ToList(), IgnoreIndex, device);
        var decoderInputs = ShiftRight(labels);
        var encoded = _model.EncodeTokens(inputs, attention);
        var logits = _model.PredictTokens(_model.Decode(decoderInputs, encoded, attention));
        var flatLogits = logits.reshape(-1, logits.shape[2]);
        var flatLabels = labels.reshape(-1);
        var loss = nn.functional.cross_entropy(flatLogits, flatLabels, ignore_index: IgnoreIndex);
        long targets, correct, baseline;
        using (no_grad())
        {
            var valid = flatLabels.NotEqualTo(IgnoreIndex);
            targets = valid.sum().item<long>();
            correct = flatLogits.argmax(-1).eq(flatLabels).logical_and(valid).sum().item<long>();
            baseline = flatLabels.EqualTo(baselineTokenId).sum().item<long>();
        }
        return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), targets, correct, baseline);
    }

    private int SentinelId(int span) =>
        span < _sentinels.Length ? _sentinels[span] : throw new InvalidOperationException($"A window produced more than {_sentinels.Length} noise spans; use shorter windows.");

    /// <summary>Decoder inputs: the labels shifted right behind the start token, ignored positions as padding.</summary>
    private Tensor ShiftRight(Tensor labels)
    {
        var start = _model.StartTokens(labels.shape[0], labels.device);
        var shifted = cat(new[] { start, labels.narrow(1, 0, labels.shape[1] - 1) }, 1);
        return shifted.FilledWhere(shifted.EqualTo(IgnoreIndex), (long)_model.Config.PadTokenId);
    }

    private static (Tensor Ids, Tensor Mask) Pad(IReadOnlyList<int[]> rows, int padValue, Device device)
    {
        int width = rows.Max(r => r.Length);
        var ids = new long[rows.Count * width];
        var mask = new float[rows.Count * width];
        Array.Fill(ids, padValue);
        for (int r = 0; r < rows.Count; r++)
            for (int i = 0; i < rows[r].Length; i++)
            {
                ids[r * width + i] = rows[r][i];
                mask[r * width + i] = 1;
            }
        var shape = new long[] { rows.Count, width };
        return (tensor(ids, shape).to(device), tensor(mask, shape).to(device));
    }
}
