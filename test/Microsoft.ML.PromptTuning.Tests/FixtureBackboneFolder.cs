namespace Microsoft.ML.PromptTuning.Tests;

/// <summary>Model folders laid out as a user's checkpoint: a fixture's config and weights with the real tokenizer files beside them.</summary>
internal static class FixtureBackboneFolder
{
    /// <summary>A new temporary folder holding roberta-tiny with the roberta-base tokenizer; the caller deletes it.</summary>
    public static string CreateRobertaTiny(string prefix)
    {
        string folder = Directory.CreateTempSubdirectory(prefix).FullName;
        foreach (string file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(SharedData.Fixture("roberta-tiny"), file), Path.Combine(folder, file));
        foreach (string file in new[] { "vocab.json", "merges.txt" })
            File.Copy(Path.Combine(SharedData.Tokenizer("roberta-base"), file), Path.Combine(folder, file));
        return folder;
    }
}
