namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// One file of pre-training text: its path, the part it belongs to (held-out sampling and statistics are per part) and, for
/// structured files, the fields or columns whose values are documents. The extension picks the format: <c>.txt</c> (one
/// paragraph per line, a blank line between documents), <c>.jsonl</c>, <c>.json</c>, <c>.tsv</c> (unquoted) or <c>.csv</c>.
/// </summary>
public sealed record CorpusSource
{
    private static readonly Dictionary<string, CorpusFormat> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = CorpusFormat.Text,
        [".jsonl"] = CorpusFormat.JsonLines,
        [".json"] = CorpusFormat.Json,
        [".tsv"] = CorpusFormat.Tsv,
        [".csv"] = CorpusFormat.Csv,
    };

    /// <summary>Describes the file at <paramref name="path"/> in part <paramref name="part"/>.</summary>
    /// <param name="path">The file; its extension selects the format.</param>
    /// <param name="part">The part name (<c>wikipedia</c>, <c>sst2</c>, …) used for per-part held-out sampling and counts.</param>
    /// <param name="fields">The JSON fields or table columns to read, each value one document; none for <c>.txt</c>.</param>
    /// <exception cref="ArgumentException">The extension is unknown, the part is blank, or the fields do not suit the format.</exception>
    public CorpusSource(string path, string part, params IReadOnlyList<string> fields)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(part);
        ArgumentNullException.ThrowIfNull(fields);
        string extension = System.IO.Path.GetExtension(path);
        if (!Extensions.TryGetValue(extension, out CorpusFormat format))
            throw new ArgumentException(
                $"Corpus source '{path}' has the unknown extension '{extension}'; expected one of {string.Join(", ", Extensions.Keys)}.",
                nameof(path));
        if (format == CorpusFormat.Text && fields.Count > 0)
            throw new ArgumentException($"Corpus source '{path}' is plain text and takes no field names (got {string.Join(", ", fields)}).",
                nameof(fields));
        if (format != CorpusFormat.Text && fields.Count == 0)
            throw new ArgumentException($"Corpus source '{path}' is {extension} and needs at least one field or column name.", nameof(fields));
        if (fields.Any(string.IsNullOrEmpty))
            throw new ArgumentException($"Corpus source '{path}' has an empty field name.", nameof(fields));
        if (fields.Distinct(StringComparer.Ordinal).Count() != fields.Count)
            throw new ArgumentException($"Corpus source '{path}' names a field twice: {string.Join(", ", fields)}.", nameof(fields));
        Path = path;
        Part = part;
        Fields = fields.ToArray();
        Format = format;
    }

    /// <summary>The file to read.</summary>
    public string Path { get; }

    /// <summary>The part this file belongs to.</summary>
    public string Part { get; }

    /// <summary>The fields or columns read as documents, in order; empty for <c>.txt</c>.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The layout implied by the extension.</summary>
    internal CorpusFormat Format { get; }

    /// <summary>True when both describe the same path, part and fields.</summary>
    public bool Equals(CorpusSource? other) =>
        other is not null && Path == other.Path && Part == other.Part && Fields.SequenceEqual(other.Fields, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Path);
        hash.Add(Part);
        foreach (string field in Fields)
            hash.Add(field);
        return hash.ToHashCode();
    }

    /// <summary>The path, part and fields, for messages.</summary>
    public override string ToString() =>
        Fields.Count == 0 ? $"{Path} [{Part}]" : $"{Path} [{Part}: {string.Join(", ", Fields)}]";
}
