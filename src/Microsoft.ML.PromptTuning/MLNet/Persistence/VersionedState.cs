using System.Text.Json;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>Parses the JSON states stored in saved models, refusing those written by a newer library.</summary>
internal static class VersionedState
{
    /// <summary>Parses <paramref name="json"/> (with a <c>FormatVersion</c> field) as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">A newer or missing format version, malformed JSON or an empty state; the message names <paramref name="what"/>.</exception>
    public static T Parse<T>(string json, int currentVersion, string what) where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"The {what}'s state is a JSON {document.RootElement.ValueKind}, not an object.");
            int version = 0;
            if (document.RootElement.TryGetProperty("FormatVersion", out var v) && !(v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out version)))
                throw new InvalidDataException($"The {what}'s state has FormatVersion {v.GetRawText()}, not an integer.");
            if (version > currentVersion)
                throw new InvalidDataException($"The {what} was saved in format version {version}, newer than this library reads ({currentVersion}); update Microsoft.ML.PromptTuning.");
            if (version < 1)
                throw new InvalidDataException($"The {what}'s state has no valid format version.");
            return JsonSerializer.Deserialize<T>(json) ?? throw new InvalidDataException($"The {what}'s state is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The {what}'s state is not valid JSON: {e.Message}", e);
        }
    }
}
