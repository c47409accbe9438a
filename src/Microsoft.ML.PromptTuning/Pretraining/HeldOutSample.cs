using System.Globalization;
using Microsoft.ML.PromptTuning.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// A fixed slice of held-out token windows shipped beside a pre-trained model (<c>heldout_sample.safetensors</c>) with the
/// scores the model reached on it at release, so a quick test can re-check the model without rebuilding the corpus.
/// </summary>
public sealed record HeldOutSample(IReadOnlyList<int[]> Windows, int BaselineTokenId, PretrainingEvaluation Expected)
{
    public const string FileName = "heldout_sample.safetensors";

    /// <summary>Scores <paramref name="objective"/> on the sample exactly as at release.</summary>
    public PretrainingEvaluation Evaluate(IPretrainingObjective objective, int batchSize = 16) =>
        ObjectiveEvaluator.Evaluate(objective, Windows, batchSize, BaselineTokenId);

    /// <summary>Writes the windows <c>[count, length]</c> (int32) and the expected scores as metadata.</summary>
    public void Save(string path)
    {
        int length = Windows[0].Length;
        using var windows = tensor(Windows.SelectMany(w => w).ToArray(), new long[] { Windows.Count, length });
        var c = CultureInfo.InvariantCulture;
        SafeTensors.Save(path, new[] { new KeyValuePair<string, Tensor>("windows", windows) }, new Dictionary<string, string>
        {
            ["baseline_token_id"] = BaselineTokenId.ToString(c),
            ["loss"] = Expected.Loss.ToString("R", c),
            ["accuracy"] = Expected.Accuracy.ToString("R", c),
            ["unigram_baseline_accuracy"] = Expected.UnigramBaselineAccuracy.ToString("R", c),
            ["targets"] = Expected.Targets.ToString(c),
        });
    }

    /// <summary>Reads a sample written by <see cref="Save"/>.</summary>
    public static HeldOutSample Load(string path)
    {
        using var reader = SafeTensors.Open(path);
        string Field(string name) => reader.Metadata.TryGetValue(name, out var value)
            ? value
            : throw new CheckpointFormatException(path, $"metadata field '{name}' is missing.");
        var c = CultureInfo.InvariantCulture;
        using var windows = reader.Read("windows", dtype: ScalarType.Int32);
        if (windows.dim() != 2)
            throw new CheckpointFormatException(path, "'windows' must be a [count, length] tensor.");
        int width = (int)windows.shape[1];
        int[] flat = windows.data<int>().ToArray();
        var rows = Enumerable.Range(0, (int)windows.shape[0]).Select(r => flat.AsSpan(r * width, width).ToArray()).ToList();
        var expected = new PretrainingEvaluation(double.Parse(Field("loss"), c), double.Parse(Field("accuracy"), c),
            double.Parse(Field("unigram_baseline_accuracy"), c), long.Parse(Field("targets"), c));
        return new HeldOutSample(rows, int.Parse(Field("baseline_token_id"), c), expected);
    }
}
