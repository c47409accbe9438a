using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>Reads fields of a Hugging Face <c>config.json</c> with bounds checked before anything is allocated.</summary>
internal sealed class ConfigReader
{
    /// <summary>The largest <c>config.json</c> accepted; real ones are a few kilobytes.</summary>
    private const int MaxConfigBytes = 1 << 20;

    private readonly JsonObject _json;

    private ConfigReader(JsonObject json, string source)
    {
        _json = json;
        Source = source;
    }

    /// <summary>Where the configuration came from, for error messages.</summary>
    public string Source { get; }

    public static ConfigReader FromFile(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model configuration not found: {path}", path);
        var info = new FileInfo(path);
        if (info.Length > MaxConfigBytes)
            throw new InvalidDataException($"{path}: {info.Length} bytes is too large for a config.json.");
        return FromJson(File.ReadAllText(path), path);
    }

    public static ConfigReader FromJson(string json, string source)
    {
        JsonNode? node;
        try
        {
            // A repeated key is an error here; otherwise it would surface on lookup as an ArgumentException.
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message}).", e);
        }
        if (node is not JsonObject obj)
            throw new InvalidDataException($"{source}: expected a JSON object.");
        return new ConfigReader(obj, source);
    }

    public string? ModelType => String("model_type", null);

    public bool Has(string field) => _json.ContainsKey(field) && _json[field] is not null;

    public int Int(string field, int? fallback, int min, int max)
    {
        var value = _json[field];
        if (value is null)
            return fallback ?? throw new InvalidDataException($"{Source}: required field '{field}' is missing.");
        long parsed;
        try
        {
            parsed = value.GetValue<long>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{Source}: field '{field}' must be an integer, found {value.ToJsonString()}.", e);
        }
        if (parsed < min || parsed > max)
            throw new InvalidDataException($"{Source}: field '{field}' = {parsed} is outside the supported range [{min}, {max}].");
        return (int)parsed;
    }

    public double Double(string field, double fallback, double min, double max)
    {
        var value = _json[field];
        if (value is null)
            return fallback;
        double parsed;
        try
        {
            parsed = value.GetValue<double>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{Source}: field '{field}' must be a number, found {value.ToJsonString()}.", e);
        }
        if (!(parsed >= min && parsed <= max))
            throw new InvalidDataException($"{Source}: field '{field}' = {parsed} is outside the supported range [{min}, {max}].");
        return parsed;
    }

    public bool Bool(string field, bool fallback)
    {
        var value = _json[field];
        if (value is null)
            return fallback;
        try
        {
            return value.GetValue<bool>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{Source}: field '{field}' must be true or false, found {value.ToJsonString()}.", e);
        }
    }

    public string? String(string field, string? fallback)
    {
        var value = _json[field];
        if (value is null)
            return fallback;
        try
        {
            return value.GetValue<string>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{Source}: field '{field}' must be a string, found {value.ToJsonString()}.", e);
        }
    }

    /// <summary>Fails when the product of the given sizes (e.g. vocabulary × hidden) exceeds a sane parameter count.</summary>
    public void CheckParameterCount(string what, params long[] sizes)
    {
        const long MaxElements = 20_000_000_000; // ~80 GB of float32: beyond any model this library can hold
        long product = 1;
        foreach (long size in sizes)
        {
            product *= size;
            if (product > MaxElements)
                throw new InvalidDataException($"{Source}: {what} would need more than {MaxElements:N0} parameters; the configuration is not plausible.");
        }
    }
}
