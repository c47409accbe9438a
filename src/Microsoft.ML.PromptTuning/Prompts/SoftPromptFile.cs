using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.PromptTuning.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// The soft-prompt safetensors file: tensor <c>prompt_embeddings</c> <c>[N, hidden]</c> and, in <c>__metadata__</c>,
/// <c>format = pt</c> plus <c>soft_prompt</c>, a JSON object holding the backbone, template, label words and training summary.
/// </summary>
internal static class SoftPromptFile
{
    public const string MetadataKey = "soft_prompt";
    private const int FormatVersion = 1;

    public static void Write(SoftPrompt prompt, string path) =>
        SafeTensors.Save(path, [new(SoftPrompt.TensorKey, prompt.Embeddings)], Metadata(prompt));

    /// <summary>The safetensors metadata describing <paramref name="prompt"/>.</summary>
    public static Dictionary<string, string> Metadata(SoftPrompt prompt) => new(StringComparer.Ordinal)
    {
        ["format"] = "pt",
        [MetadataKey] = ToJson(prompt).ToJsonString(),
    };

    public static SoftPrompt Read(string path)
    {
        using SafeTensorsReader reader = SafeTensors.Open(path);
        if (!reader.Metadata.TryGetValue(MetadataKey, out string? json))
            throw new CheckpointFormatException(path, $"no '{MetadataKey}' entry in the metadata; this is not a soft-prompt file (a PEFT adapter? use ImportPeft).");
        using Tensor embeddings = ReadEmbeddings(reader, path);
        return FromJson(embeddings, json, path);
    }

    /// <summary>Reads <c>prompt_embeddings</c> as float32, checking it is a matrix.</summary>
    public static Tensor ReadEmbeddings(ITensorReader reader, string path)
    {
        if (!reader.Names.Contains(SoftPrompt.TensorKey))
            throw new CheckpointFormatException(path, $"no tensor named '{SoftPrompt.TensorKey}'.");
        TensorInfo info = reader.GetInfo(SoftPrompt.TensorKey);
        if (info.Shape.Length != 2)
            throw new CheckpointFormatException(path, $"'{SoftPrompt.TensorKey}' has shape [{string.Join(", ", info.Shape)}]; a prompt is [tokens, hidden].");
        return reader.Read(SoftPrompt.TensorKey);
    }

    /// <summary>Builds the prompt from its tensor and the <c>soft_prompt</c> JSON, turning any content error into a format error.</summary>
    public static SoftPrompt FromJson(Tensor embeddings, string json, string path)
    {
        try
        {
            JsonObject root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("the metadata is not a JSON object");
            int version = root["version"]?.GetValue<int>() ?? throw new FormatException("'version' is missing");
            if (version != FormatVersion)
                throw new FormatException($"format version {version} is not supported (expected {FormatVersion})");
            JsonObject backbone = root["backbone"] as JsonObject ?? throw new FormatException("'backbone' is missing");
            var info = new BackboneInfo(
                backbone["name_or_path"]?.GetValue<string>() ?? "",
                backbone["model_type"]?.GetValue<string>(),
                backbone["hidden_size"]?.GetValue<int>() ?? throw new FormatException("'backbone.hidden_size' is missing"),
                backbone["num_layers"]?.GetValue<int>(),
                backbone["num_attention_heads"]?.GetValue<int>());
            string? template = root["template"]?.GetValue<string>();
            LabelWords? labelWords = root["label_words"] is JsonNode words ? LabelWords.FromJson(words) : null;
            var summary = (root["training"] as JsonObject ?? [])
                .ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
            return new SoftPrompt(embeddings, info, template is null ? null : PromptTemplate.Parse(template), labelWords, summary);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new CheckpointFormatException(path, $"invalid soft-prompt metadata: {e.Message}", e);
        }
    }

    private static JsonObject ToJson(SoftPrompt prompt)
    {
        BackboneInfo backbone = prompt.Backbone;
        var training = new JsonObject();
        foreach ((string key, string value) in prompt.TrainingSummary)
            training[key] = value;
        return new JsonObject
        {
            ["version"] = FormatVersion,
            ["backbone"] = new JsonObject
            {
                ["name_or_path"] = backbone.NameOrPath,
                ["model_type"] = backbone.ModelType,
                ["hidden_size"] = backbone.HiddenSize,
                ["num_layers"] = backbone.LayerCount,
                ["num_attention_heads"] = backbone.AttentionHeadCount,
            },
            ["template"] = prompt.Template?.ToString(),
            ["label_words"] = prompt.LabelWords?.ToJson(),
            ["training"] = training,
        };
    }
}
