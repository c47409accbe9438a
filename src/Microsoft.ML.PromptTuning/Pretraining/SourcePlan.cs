namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>One source's documents in file order, as the scan decided them, and the source's running counts.</summary>
internal sealed class SourcePlan(CorpusSource source, SourceFileStamp stamp)
{
    public CorpusSource Source { get; } = source;

    public SourceFileStamp Stamp { get; } = stamp;

    public List<PlannedDocument> Documents { get; } = [];

    public CorpusCounts Counts { get; } = new();

    /// <summary>This source's line in the manifest.</summary>
    public CorpusManifestSource ToManifestEntry() =>
        new(Stamp.FullPath, Source.Part, Source.Fields, Stamp.Length, Stamp.LastWriteTimeUtc, Counts);
}
