using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.PromptTuning.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// PEFT's prompt-tuning adapter folder: <c>adapter_config.json</c> (a <c>PromptTuningConfig</c>, keys sorted and indented as
/// <c>save_pretrained</c> writes them) and <c>adapter_model.safetensors</c> holding <c>prompt_embeddings</c>
/// <c>[num_virtual_tokens · num_transformer_submodules, token_dim]</c>.
/// </summary>
internal static class PeftPromptTuningAdapter
{
    public const string ConfigFile = "adapter_config.json";
    public const string SafeTensorsFile = "adapter_model.safetensors";
    public const string PyTorchFile = "adapter_model.bin";
    private const string PeftType = "PROMPT_TUNING";

    public static void Export(SoftPrompt prompt, string directory)
    {
        if (prompt.Template is { } template && template.LeadingSoftTokenCount != template.SoftTokenCount)
            throw new InvalidOperationException(
                $"The template \"{template}\" places soft tokens after hard content; a PEFT prompt-tuning adapter can only prepend them to the input.");
        Directory.CreateDirectory(directory);
        SafeTensors.Save(Path.Combine(directory, SafeTensorsFile), [new(SoftPrompt.TensorKey, prompt.Embeddings)], SoftPromptFile.Metadata(prompt));
        AtomicFile.Write(Path.Combine(directory, ConfigFile), stream => WriteConfig(stream, prompt));
    }

    public static SoftPrompt Import(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"PEFT adapter folder not found: {directory}");
        string configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"The PEFT adapter folder '{directory}' has no {ConfigFile}.", configPath);
        JsonObject config = ReadConfig(configPath);
        string peftType = config["peft_type"]?.GetValue<string>() ?? throw Bad(configPath, "'peft_type' is missing");
        if (peftType != PeftType)
            throw Bad(configPath, $"peft_type is '{peftType}'; only {PeftType} adapters hold a soft prompt");
        int tokens = PositiveInt(config, "num_virtual_tokens", configPath) ?? throw Bad(configPath, "'num_virtual_tokens' is missing");
        int width = PositiveInt(config, "token_dim", configPath) ?? throw Bad(configPath, "'token_dim' is missing");
        int submodules = PositiveInt(config, "num_transformer_submodules", configPath) ?? 1;
        if (submodules != 1)
            throw Bad(configPath, $"num_transformer_submodules is {submodules}: the adapter also prompts the decoder, which is not supported (export with 1)");

        string weightsPath = WeightsPath(directory);
        using ITensorReader reader = CheckpointFiles.OpenFile(weightsPath);
        using Tensor embeddings = SoftPromptFile.ReadEmbeddings(reader, weightsPath);
        if (embeddings.shape[0] != tokens || embeddings.shape[1] != width)
            throw Bad(weightsPath, $"'{SoftPrompt.TensorKey}' has shape [{string.Join(", ", embeddings.shape)}] but {ConfigFile} says " +
                                   $"num_virtual_tokens {tokens} and token_dim {width}");
        if (reader is SafeTensorsReader safeTensors && safeTensors.Metadata.TryGetValue(SoftPromptFile.MetadataKey, out string? json))
            return SoftPromptFile.FromJson(embeddings, json, weightsPath);
        try
        {
            return new SoftPrompt(embeddings, BackboneOf(config, width));
        }
        catch (ArgumentException e)
        {
            throw Bad(weightsPath, e.Message);
        }
    }

    private static string WeightsPath(string directory)
    {
        foreach (string name in new[] { SafeTensorsFile, PyTorchFile })
            if (File.Exists(Path.Combine(directory, name)))
                return Path.Combine(directory, name);
        throw new FileNotFoundException(
            $"The PEFT adapter folder '{directory}' has no weights: looked for {SafeTensorsFile} and {PyTorchFile}.", Path.Combine(directory, SafeTensorsFile));
    }

    private static BackboneInfo BackboneOf(JsonObject config, int width) => new(
        config["base_model_name_or_path"]?.GetValue<string>() ?? "",
        config["task_type"]?.GetValue<string>() == "SEQ_2_SEQ_LM" ? "t5" : null,
        width,
        config["num_layers"]?.GetValue<int>(),
        config["num_attention_heads"]?.GetValue<int>());

    private static void WriteConfig(Stream stream, SoftPrompt prompt)
    {
        BackboneInfo backbone = prompt.Backbone;
        // Every PromptTuningConfig field, sorted, as PEFT's save_pretrained writes json.dumps(..., indent=2, sort_keys=True).
        var fields = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["auto_mapping"] = null,
            ["base_model_name_or_path"] = backbone.NameOrPath.Length == 0 ? null : backbone.NameOrPath,
            ["inference_mode"] = true,
            ["num_attention_heads"] = backbone.AttentionHeadCount,
            ["num_layers"] = backbone.LayerCount,
            ["num_transformer_submodules"] = 1,
            ["num_virtual_tokens"] = prompt.TokenCount,
            ["peft_type"] = PeftType,
            ["prompt_tuning_init"] = "RANDOM",
            ["prompt_tuning_init_text"] = null,
            ["revision"] = null,
            ["task_type"] = backbone.IsEncoderDecoder ? "SEQ_2_SEQ_LM" : "SEQ_CLS",
            ["token_dim"] = prompt.HiddenSize,
            ["tokenizer_kwargs"] = null,
            ["tokenizer_name_or_path"] = null,
        };
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        foreach ((string key, JsonNode? value) in fields)
        {
            writer.WritePropertyName(key);
            if (value is null)
                writer.WriteNullValue();
            else
                value.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private static JsonObject ReadConfig(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw Bad(path, "the file is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"not valid JSON: {e.Message}", e);
        }
    }

    private static int? PositiveInt(JsonObject config, string key, string path)
    {
        JsonNode? node = config[key];
        if (node is null)
            return null;
        if (node is not JsonValue value || !value.TryGetValue(out int number) || number <= 0)
            throw Bad(path, $"'{key}' is {node.ToJsonString()}, not a positive integer");
        return number;
    }

    private static CheckpointFormatException Bad(string path, string problem) => new(path, problem);
}
