using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>Small corpora for builder tests and helpers to read a built corpus back as document texts.</summary>
internal static class CorpusTestData
{
    /// <summary>Writes a <c>.txt</c> source whose documents are the given paragraph lists.</summary>
    public static string WriteText(TemporaryFolder folder, string name, params string[][] documents) =>
        folder.Write(name, string.Join("\n\n", documents.Select(paragraphs => string.Join("\n", paragraphs))) + "\n");

    /// <summary>Writes a <c>.jsonl</c> source with one <c>text</c> field per line.</summary>
    public static string WriteJsonLines(TemporaryFolder folder, string name, IEnumerable<string> texts) =>
        folder.Write(name, string.Concat(texts.Select(text => System.Text.Json.JsonSerializer.Serialize(new { text }) + "\n")));

    /// <summary>The tokens of one split.</summary>
    public static int[] Tokens(TokenizedCorpus corpus, CorpusSplit split)
    {
        var tokens = new int[corpus.TokenCount(split)];
        corpus.ReadTokens(split, 0, tokens);
        return tokens;
    }

    /// <summary>The document texts of one split, as written by <see cref="CharacterTokenizer"/>.</summary>
    public static string[] Documents(TokenizedCorpus corpus, CorpusSplit split) => CharacterTokenizer.Documents(Tokens(corpus, split));

    /// <summary>Options with the given held-out fraction, no held-out floor and one thread.</summary>
    public static CorpusBuildOptions Options(double heldOutFraction = 0, int minimumHeldOut = 0, int seed = 0) => new()
    {
        HeldOutFraction = heldOutFraction,
        MinimumHeldOutDocumentsPerPart = minimumHeldOut,
        Seed = seed,
        MaxDegreeOfParallelism = 1,
    };
}
