using System.Text;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>A document after whitespace normalisation: its non-empty paragraphs, their hash and their UTF-8 size.</summary>
internal sealed class NormalizedDocument
{
    private NormalizedDocument(IReadOnlyList<string> paragraphs, ulong hash, long byteCount)
    {
        Paragraphs = paragraphs;
        Hash = hash;
        ByteCount = byteCount;
    }

    /// <summary>The paragraphs, each with whitespace runs collapsed to one space and trimmed; never empty.</summary>
    public IReadOnlyList<string> Paragraphs { get; }

    /// <summary>The stable 64-bit hash of the paragraphs joined by line breaks: the identity used for deduplication.</summary>
    public ulong Hash { get; }

    /// <summary>UTF-8 bytes of the paragraphs joined by line breaks.</summary>
    public long ByteCount { get; }

    /// <summary>Normalises <paramref name="document"/>; null when no text remains.</summary>
    public static NormalizedDocument? From(TextDocument document)
    {
        var paragraphs = new List<string>(document.Paragraphs.Count);
        var hash = new StableHash();
        long bytes = 0;
        foreach (string raw in document.Paragraphs)
        {
            string paragraph = WhitespaceNormalizer.Normalize(raw);
            if (paragraph.Length == 0)
                continue;
            if (paragraphs.Count > 0)
            {
                hash.Append("\n");
                bytes++;
            }
            hash.Append(paragraph);
            bytes += Encoding.UTF8.GetByteCount(paragraph);
            paragraphs.Add(paragraph);
        }
        return paragraphs.Count == 0 ? null : new NormalizedDocument(paragraphs, hash.Finish(), bytes);
    }
}
