using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.PromptTuning.Projection;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>
/// A prompt projector as one JSON string stored inside an ML.NET zip (in a <c>ValueMapping</c> beside the projected
/// prompt's <see cref="SoftPromptState"/>): its configuration, its weights (base64 float32 per state-dict name, with one
/// SHA-256 over them in name order) and the output column names of the projected prompt's transformer.
/// </summary>
public sealed record PromptProjectorState
{
    /// <summary>The layout this code writes; zips with a larger version come from a newer library and are refused.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public required string Config { get; init; }
    public required SortedDictionary<string, string> Weights { get; init; }
    public required string WeightsSha256 { get; init; }
    public required string PredictedLabelColumn { get; init; }
    public required string ScoreColumn { get; init; }
    public required string ProbabilityColumn { get; init; }

    internal static PromptProjectorState Create(PromptProjector projector, SoftPromptOutputSchema outputs)
    {
        var weights = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, parameter) in projector.NamedParameters)
        {
            using var scope = NewDisposeScope();
            weights[name] = parameter.detach().to(ScalarType.Float32, CPU).contiguous().bytes.ToArray();
        }
        return new PromptProjectorState
        {
            Config = PromptProjectorFile.ToJson(projector.Config),
            Weights = new SortedDictionary<string, string>(weights.ToDictionary(w => w.Key, w => Convert.ToBase64String(w.Value)), StringComparer.Ordinal),
            WeightsSha256 = Sha256(weights.Values),
            PredictedLabelColumn = outputs.PredictedLabelColumn,
            ScoreColumn = outputs.ScoreColumn,
            ProbabilityColumn = outputs.ProbabilityColumn ?? PersistenceColumns.Probability,
        };
    }

    public string Serialize() => JsonSerializer.Serialize(this);

    /// <summary>Parses a stored state; a newer format or malformed JSON is an error saying so.</summary>
    public static PromptProjectorState Parse(string json) => VersionedState.Parse<PromptProjectorState>(json, CurrentFormatVersion, "prompt projector");

    /// <summary>The projector, after checking the weights against <see cref="WeightsSha256"/> and the configuration's shapes.</summary>
    internal PromptProjector Projector()
    {
        PromptProjectorConfig config;
        Dictionary<string, byte[]> bytes;
        try
        {
            config = PromptProjectorFile.FromJson(Config);
            bytes = Weights.ToDictionary(w => w.Key, w => Convert.FromBase64String(w.Value), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"The stored prompt projector is invalid: {e.Message}", e);
        }
        string actual = Sha256(bytes.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Value));
        if (actual != WeightsSha256)
            throw new InvalidDataException($"The stored prompt projector was modified: its SHA-256 is {actual}, the model recorded {WeightsSha256}.");
        var projector = new PromptProjector(config);
        try
        {
            using var scope = NewDisposeScope();
            var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (name, parameter) in projector.NamedParameters)
            {
                if (!bytes.TryGetValue(name, out var value) || value.Length != parameter.numel() * sizeof(float))
                    throw new InvalidDataException($"The stored prompt projector lacks '{name}' or holds the wrong number of values for it.");
                var tensor = empty(parameter.shape, ScalarType.Float32);
                value.CopyTo(tensor.bytes);
                weights[name] = tensor;
            }
            projector.LoadWeights(weights);
            return projector;
        }
        catch
        {
            projector.Dispose();
            throw;
        }
    }

    private static string Sha256(IEnumerable<byte[]> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
            sha.AppendData(part);
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }
}
