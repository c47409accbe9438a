namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// The files of a corpus folder and the order they are published in: token files are written under temporary names and
/// renamed into place after the old manifest is removed; the manifest, written last, is what makes the folder trusted.
/// </summary>
internal static class CorpusDirectory
{
    public const string TrainFileName = "train.tokens";
    public const string HeldOutFileName = "heldout.tokens";
    public const string ManifestFileName = "corpus.json";

    /// <summary>The token file of <paramref name="split"/>.</summary>
    public static string TokenFile(string directory, CorpusSplit split) =>
        Path.Combine(directory, split == CorpusSplit.Train ? TrainFileName : HeldOutFileName);

    /// <summary>The manifest path.</summary>
    public static string Manifest(string directory) => Path.Combine(directory, ManifestFileName);

    /// <summary>A fresh temporary name for <paramref name="fileName"/>, in the same folder so the final rename is atomic.</summary>
    public static string TemporaryPath(string directory, string fileName) =>
        Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");

    /// <summary>Deletes temporary files a killed build left behind (call while holding the build lock).</summary>
    public static void DeleteTemporaryFiles(string directory)
    {
        foreach (string fileName in new[] { TrainFileName, HeldOutFileName, ManifestFileName })
            foreach (string leftover in Directory.EnumerateFiles(directory, $".{fileName}.*.tmp"))
                File.Delete(leftover);
    }

    /// <summary>Publishes finished token files and then <paramref name="manifest"/>; a crash part-way leaves no manifest.</summary>
    public static void Publish(string directory, string trainTemporary, string heldOutTemporary, CorpusManifest manifest)
    {
        File.Delete(Manifest(directory));
        File.Move(trainTemporary, TokenFile(directory, CorpusSplit.Train), overwrite: true);
        File.Move(heldOutTemporary, TokenFile(directory, CorpusSplit.HeldOut), overwrite: true);
        CorpusManifestFile.Write(Manifest(directory), manifest);
    }
}
