using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Turns the named string fields of one JSON object into documents, with errors that name the file and the record.</summary>
internal static class JsonFieldValues
{
    /// <summary>
    /// One document per field of <paramref name="source"/>, in field order; a null value gives an empty document (dropped later).
    /// </summary>
    /// <exception cref="CorpusFormatException">The value is not an object, a field is absent, or a field is not a string.</exception>
    public static IEnumerable<TextDocument> Documents(JsonElement record, CorpusSource source, string location, long? lineNumber)
    {
        if (record.ValueKind != JsonValueKind.Object)
            throw new CorpusFormatException(source.Path, lineNumber, $"{location} is a JSON {record.ValueKind}, not an object.");
        var documents = new List<TextDocument>(source.Fields.Count);
        foreach (string field in source.Fields)
        {
            if (!record.TryGetProperty(field, out JsonElement value))
                throw new CorpusFormatException(source.Path, lineNumber,
                    $"{location} has no field '{field}'; fields present: {string.Join(", ", record.EnumerateObject().Select(p => p.Name))}.");
            string text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Null => "",
                _ => throw new CorpusFormatException(source.Path, lineNumber,
                    $"field '{field}' of {location} is a JSON {value.ValueKind}, not a string."),
            };
            documents.Add(new TextDocument([text], location, field));
        }
        return documents;
    }
}
