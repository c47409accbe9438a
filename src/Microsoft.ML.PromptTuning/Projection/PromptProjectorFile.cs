using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.PromptTuning.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>
/// The projector safetensors file: the weights under their state-dict names (<c>fc1.weight</c>, <c>fc1.bias</c>,
/// <c>fc2.*</c>, <c>layer_norm.*</c>) and, in <c>__metadata__</c>, <c>format = pt</c> plus <c>prompt_projector</c>, the
/// <see cref="PromptProjectorConfig"/> as JSON.
/// </summary>
internal static class PromptProjectorFile
{
    public const string MetadataKey = "prompt_projector";

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static void Write(PromptProjector projector, string path)
    {
        using var scope = NewDisposeScope();
        var tensors = projector.NamedParameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Parameter.detach().cpu()));
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt", [MetadataKey] = ToJson(projector.Config) });
    }

    public static PromptProjector Read(string path)
    {
        using var reader = SafeTensors.Open(path);
        if (!reader.Metadata.TryGetValue(MetadataKey, out string? json))
            throw new CheckpointFormatException(path, $"no '{MetadataKey}' entry in the metadata; this is not a prompt-projector file.");
        PromptProjectorConfig config;
        try
        {
            config = FromJson(json);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new CheckpointFormatException(path, $"invalid projector configuration: {e.Message}", e);
        }
        var projector = new PromptProjector(config);
        try
        {
            using var scope = NewDisposeScope();
            var missing = projector.NamedParameters.Select(p => p.Name).Where(n => !reader.Names.Contains(n)).ToList();
            if (missing.Count > 0)
                throw new CheckpointFormatException(path, $"no tensor for {string.Join(", ", missing)}.");
            projector.LoadWeights(projector.NamedParameters.ToDictionary(p => p.Name, p => reader.Read(p.Name)));
            return projector;
        }
        catch (ArgumentException e)
        {
            projector.Dispose();
            throw new CheckpointFormatException(path, e.Message, e);
        }
        catch
        {
            projector.Dispose();
            throw;
        }
    }

    /// <summary>The configuration as the JSON stored in files and saved ML.NET models.</summary>
    public static string ToJson(PromptProjectorConfig config) => JsonSerializer.Serialize(config, Json);

    /// <summary>Parses <see cref="ToJson"/>'s output and validates it.</summary>
    /// <exception cref="JsonException">The JSON is malformed or incomplete.</exception>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    public static PromptProjectorConfig FromJson(string json)
    {
        var config = JsonSerializer.Deserialize<PromptProjectorConfig>(json, Json) ?? throw new JsonException("the configuration is empty");
        if (config.Source is null || config.Target is null)
            throw new JsonException("the configuration lacks its source or target backbone");
        config.Validate();
        return config;
    }
}
