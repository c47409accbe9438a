using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>Reads the optional JSON settings files of a Hugging Face folder (<c>config.json</c>, <c>tokenizer_config.json</c>).</summary>
internal sealed class HuggingFaceJsonFile
{
    private readonly JsonObject _root;

    private HuggingFaceJsonFile(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    /// <summary>Reads the file, or returns null when it does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object.</exception>
    public static HuggingFaceJsonFile? TryRead(string path)
    {
        if (!File.Exists(path))
            return null;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
                // Otherwise a repeated key surfaces later, on lookup, as an ArgumentException.
                AllowDuplicateProperties = false,
            });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
        return root is JsonObject rootObject
            ? new HuggingFaceJsonFile(path, rootObject)
            : throw new InvalidDataException($"{path} does not hold a JSON object.");
    }

    /// <summary>A string setting, or null when absent or JSON null.</summary>
    public string? GetString(string name) => Get(name, JsonValueKind.String, node => node.GetValue<string>());

    /// <summary>A boolean setting, or null when absent or JSON null.</summary>
    public bool? GetBoolean(string name) => Get<bool?>(name, JsonValueKind.True, node => node.GetValue<bool>());

    /// <summary>An integer setting, or null when absent or JSON null.</summary>
    public int? GetInt32(string name) => Get<int?>(name, JsonValueKind.Number, node =>
        node.AsValue().TryGetValue(out int value) ? value : throw WrongType(name, "an integer"));

    private T? Get<T>(string name, JsonValueKind kind, Func<JsonNode, T> read)
    {
        JsonNode? node = _root[name];
        if (node is null)
            return default;
        JsonValueKind actual = node.GetValueKind();
        bool matches = actual == kind || (kind == JsonValueKind.True && actual == JsonValueKind.False);
        return matches ? read(node) : throw WrongType(name, kind switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "an integer",
            _ => "true or false",
        });
    }

    private InvalidDataException WrongType(string name, string expected) =>
        new($"{Path}: \"{name}\" must be {expected}.");
}
