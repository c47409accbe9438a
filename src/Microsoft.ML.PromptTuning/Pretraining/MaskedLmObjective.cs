using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// RoBERTa's masked-LM objective with dynamic masking: each call picks 15% of the non-special tokens; of those 80% become
/// <c>&lt;mask&gt;</c>, 10% a random token and 10% stay; the LM head runs only at the picked positions.
/// </summary>
public sealed class MaskedLmObjective : IPretrainingObjective
{
    private readonly MaskedLanguageModel _model;
    private readonly SpecialTokens _special;
    private readonly double _maskProbability;

    public MaskedLmObjective(MaskedLanguageModel model, SpecialTokens special, double maskProbability = 0.15)
    {
        if (special.MaskId is null || special.BosId is null)
            throw new ArgumentException("Masked-LM pre-training needs a tokenizer with mask and begin-of-sequence tokens.", nameof(special));
        if (maskProbability is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(maskProbability), maskProbability, "The mask probability must lie in (0, 1).");
        _model = model;
        _special = special;
        _maskProbability = maskProbability;
    }

    public LanguageModel Model => _model;

    public IReadOnlyCollection<int> SpecialTokenIds =>
        new[] { _special.PadId, _special.BosId!.Value, _special.EosId, _special.MaskId!.Value };

    /// <summary>The window plus <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c> fills the sequence.</summary>
    public int WindowLength(int sequenceLength) => sequenceLength - 2;

    public ObjectiveOutput Compute(IReadOnlyList<int[]> windows, long seed, int baselineTokenId)
    {
        using var scope = NewDisposeScope();
        var device = _model.Device;
        var ids = BuildIds(windows).to(device);
        using var generator = new Generator((ulong)seed);
        var (inputs, picked) = Corrupt(ids, generator);
        var attention = ones_like(inputs, dtype: ScalarType.Float32);
        var hidden = _model.EncodeTokens(inputs, attention);
        var targets = ids.masked_select(picked);
        var logits = _model.PredictTokens(hidden[picked]);
        var loss = nn.functional.cross_entropy(logits, targets);
        long correct, baseline;
        using (no_grad())
        {
            correct = logits.argmax(-1).eq(targets).sum().item<long>();
            baseline = targets.EqualTo(baselineTokenId).sum().item<long>();
        }
        return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), targets.shape[0], correct, baseline);
    }

    private Tensor BuildIds(IReadOnlyList<int[]> windows)
    {
        int length = windows[0].Length + 2;
        var flat = new long[windows.Count * length];
        for (int row = 0; row < windows.Count; row++)
        {
            int offset = row * length;
            flat[offset] = _special.BosId!.Value;
            for (int i = 0; i < windows[row].Length; i++)
                flat[offset + 1 + i] = windows[row][i];
            flat[offset + length - 1] = _special.EosId;
        }
        return tensor(flat, new long[] { windows.Count, length });
    }

    /// <summary>Picks positions to predict and corrupts them 80/10/10; returns the corrupted ids and the picked mask.</summary>
    private (Tensor Inputs, Tensor Picked) Corrupt(Tensor ids, Generator generator)
    {
        var special = ids.EqualTo(_special.BosId!.Value).logical_or(ids.EqualTo(_special.EosId)).logical_or(ids.EqualTo(_special.PadId));
        // The draws come from the seeded CPU generator and then move to the model's device: the same masks on every device
        // (a CUDA op would refuse a CPU generator).
        var picked = rand(ids.shape, generator: generator).to(ids.device).LessThan(_maskProbability).logical_and(special.logical_not());
        // At least one target per batch keeps the loss defined on tiny inputs: the first ordinary token.
        if (!picked.any().item<bool>())
        {
            var ordinary = special.logical_not().nonzero();
            if (ordinary.shape[0] == 0)
                throw new ArgumentException("The batch holds only special tokens; there is nothing to mask.");
            picked[ordinary[0, 0].item<long>(), ordinary[0, 1].item<long>()] = true;
        }
        var roll = rand(ids.shape, generator: generator).to(ids.device);
        var toMask = picked.logical_and(roll.LessThan(0.8));
        var toRandom = picked.logical_and(roll.AtLeast(0.8)).logical_and(roll.LessThan(0.9));
        var randomTokens = randint(0, _model.VocabularySize, ids.shape, generator: generator, dtype: ScalarType.Int64).to(ids.device);
        var inputs = ids.FilledWhere(toMask, (long)_special.MaskId!.Value);
        inputs = where(toRandom, randomTokens, inputs);
        return (inputs, picked);
    }
}
