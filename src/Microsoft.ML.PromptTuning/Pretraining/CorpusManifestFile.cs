using System.Text.Json;
using Microsoft.ML.PromptTuning.Checkpoints;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Reads and atomically writes <c>corpus.json</c>.</summary>
internal static class CorpusManifestFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
    };

    /// <summary>Writes <paramref name="manifest"/> to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void Write(string path, CorpusManifest manifest) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, manifest, Json));

    /// <summary>Reads the manifest at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no manifest.</exception>
    /// <exception cref="CorpusFormatException">The file is not a manifest of the current format version.</exception>
    public static CorpusManifest Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No corpus manifest at {path}; build the corpus with {nameof(CorpusBuilder)}.{nameof(CorpusBuilder.Build)}.", path);
        CorpusManifest? manifest;
        try
        {
            using FileStream stream = File.OpenRead(path);
            manifest = JsonSerializer.Deserialize<CorpusManifest>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new CorpusFormatException(path, null, $"not a valid corpus manifest: {e.Message}", e);
        }
        if (manifest is null || manifest.Tokenizer is null || manifest.Total is null || manifest.Sources is null || manifest.Parts is null)
            throw new CorpusFormatException(path, null, "not a valid corpus manifest: required entries are missing.");
        if (manifest.FormatVersion != CorpusManifest.CurrentFormatVersion)
            throw new CorpusFormatException(path, null,
                $"the corpus has format version {manifest.FormatVersion}; this code reads version {CorpusManifest.CurrentFormatVersion}. Rebuild it.");
        return manifest;
    }
}
