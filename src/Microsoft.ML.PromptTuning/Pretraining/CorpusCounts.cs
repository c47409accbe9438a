using System.Text.Json.Serialization;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Document, token and byte counts of a source, a part or a whole corpus. Token counts include the end-of-sequence token
/// appended after each document; byte counts are UTF-8 bytes of the normalised text (paragraphs joined by one line break),
/// so held-out loss can be reported per byte independently of the tokenizer.
/// </summary>
public sealed class CorpusCounts
{
    /// <summary>Documents read, empty, duplicate and excluded ones included.</summary>
    [JsonInclude] public long DocumentsRead { get; internal set; }

    /// <summary>Documents dropped because no text remained after whitespace normalisation.</summary>
    [JsonInclude] public long EmptyDocuments { get; internal set; }

    /// <summary>Documents dropped because an identical normalised document came earlier (in any source).</summary>
    [JsonInclude] public long DuplicateDocuments { get; internal set; }

    /// <summary>Documents dropped because an exclusion source (an evaluation split) holds the same normalised text.</summary>
    [JsonInclude] public long ExcludedDocuments { get; internal set; }

    /// <summary>Documents written to the training stream.</summary>
    [JsonInclude] public long TrainDocuments { get; internal set; }

    /// <summary>Documents written to the held-out stream.</summary>
    [JsonInclude] public long HeldOutDocuments { get; internal set; }

    /// <summary>Tokens written to the training stream, end-of-sequence tokens included.</summary>
    [JsonInclude] public long TrainTokens { get; internal set; }

    /// <summary>Tokens written to the held-out stream, end-of-sequence tokens included.</summary>
    [JsonInclude] public long HeldOutTokens { get; internal set; }

    /// <summary>UTF-8 bytes of the normalised training documents.</summary>
    [JsonInclude] public long TrainBytes { get; internal set; }

    /// <summary>UTF-8 bytes of the normalised held-out documents.</summary>
    [JsonInclude] public long HeldOutBytes { get; internal set; }

    /// <summary>Adds every count of <paramref name="other"/> to this one.</summary>
    internal void Add(CorpusCounts other)
    {
        DocumentsRead += other.DocumentsRead;
        EmptyDocuments += other.EmptyDocuments;
        DuplicateDocuments += other.DuplicateDocuments;
        ExcludedDocuments += other.ExcludedDocuments;
        TrainDocuments += other.TrainDocuments;
        HeldOutDocuments += other.HeldOutDocuments;
        TrainTokens += other.TrainTokens;
        HeldOutTokens += other.HeldOutTokens;
        TrainBytes += other.TrainBytes;
        HeldOutBytes += other.HeldOutBytes;
    }
}
