namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>The scan's record of one document: its hash (checked again when it is tokenized), size and fate.</summary>
internal struct PlannedDocument(ulong hash, long byteCount, DocumentFate fate)
{
    public readonly ulong Hash = hash;

    public readonly long ByteCount = byteCount;

    public DocumentFate Fate = fate;
}
