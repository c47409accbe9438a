namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>The layouts a <see cref="CorpusSource"/> file can have, chosen by its extension.</summary>
internal enum CorpusFormat
{
    /// <summary><c>.txt</c>: one paragraph per line, a blank line between documents.</summary>
    Text,

    /// <summary><c>.jsonl</c>: one JSON object per line; each named string field is a document.</summary>
    JsonLines,

    /// <summary><c>.json</c>: an object of objects (<c>{id: {field: …}}</c>) or an array of objects.</summary>
    Json,

    /// <summary><c>.tsv</c>: a header row, tab-separated unquoted fields.</summary>
    Tsv,

    /// <summary><c>.csv</c>: a header row, comma-separated fields with RFC 4180 quoting.</summary>
    Csv,
}
