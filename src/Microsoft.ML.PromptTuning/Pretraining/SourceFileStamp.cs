namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>A source file's identity for cache checks: full path, size and modification time.</summary>
internal readonly record struct SourceFileStamp(string FullPath, long Length, DateTime LastWriteTimeUtc)
{
    /// <summary>The stamp of <paramref name="source"/>'s file as it is now.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SourceFileStamp Of(CorpusSource source)
    {
        var file = new FileInfo(source.Path);
        if (!file.Exists)
            throw new FileNotFoundException($"Corpus source file not found: {source.Path} (part '{source.Part}').", source.Path);
        return new SourceFileStamp(file.FullName, file.Length, file.LastWriteTimeUtc);
    }
}
