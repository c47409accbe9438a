using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>Reads and checks RoBERTa's <c>vocab.json</c> and <c>merges.txt</c>, naming the file in every error.</summary>
internal static class RobertaVocabularyFiles
{
    public const string Bos = "<s>";
    public const string Pad = "<pad>";
    public const string Eos = "</s>";
    public const string Unknown = "<unk>";
    public const string Mask = "<mask>";

    /// <summary>Reads the token → id map of <c>vocab.json</c>.</summary>
    public static Dictionary<string, int> ReadVocabulary(string path)
    {
        Dictionary<string, int>? vocabulary;
        try
        {
            using FileStream stream = File.OpenRead(path);
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a JSON object mapping tokens to integer ids: {e.Message}", e);
        }
        if (vocabulary is null || vocabulary.Count == 0)
            throw new InvalidDataException($"{path} holds no tokens.");
        KeyValuePair<string, int> negative = vocabulary.FirstOrDefault(kv => kv.Value < 0);
        if (negative.Key is not null)
            throw new InvalidDataException($"{path} gives token '{negative.Key}' the negative id {negative.Value}.");
        // Ids index a table, so they must be (nearly) dense; a stray huge id would make it enormous.
        int maxId = vocabulary.Values.Max();
        if (maxId >= 2 * vocabulary.Count + 1024)
            throw new InvalidDataException($"{path} uses id {maxId} for a vocabulary of only {vocabulary.Count} tokens.");
        return vocabulary;
    }

    /// <summary>Reads the merge rules of <c>merges.txt</c> ("left right" per line) after its <c>#version</c> header.</summary>
    public static List<string> ReadMerges(string path)
    {
        using StreamReader reader = File.OpenText(path);
        string? header = reader.ReadLine();
        if (header is null || !header.StartsWith("#version", StringComparison.Ordinal))
            throw new InvalidDataException(
                $"{path} does not start with the '#version' header line of a BPE merges file (found '{Shorten(header)}').");
        var merges = new List<string>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            string[] parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"{path} line {lineNumber} is not a merge rule 'left right': '{Shorten(line)}'.");
            merges.Add(line);
        }
        if (merges.Count == 0)
            throw new InvalidDataException($"{path} holds no merge rules.");
        return merges;
    }

    /// <summary>Looks up the five RoBERTa special tokens, which must all be in the vocabulary.</summary>
    public static SpecialTokens FindSpecialTokens(Dictionary<string, int> vocabulary, string path)
    {
        int Find(string token) => vocabulary.TryGetValue(token, out int id)
            ? id
            : throw new InvalidDataException($"{path} lacks the RoBERTa special token '{token}'.");
        return new SpecialTokens(PadId: Find(Pad), BosId: Find(Bos), EosId: Find(Eos), MaskId: Find(Mask), UnknownId: Find(Unknown));
    }

    private static string Shorten(string? line) => line is null ? "" : line.Length <= 40 ? line : line[..40] + "…";
}
