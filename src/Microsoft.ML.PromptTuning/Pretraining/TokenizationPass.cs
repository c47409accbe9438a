using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// The second pass of a build: reads the sources again, checks each kept document against the scan, tokenizes batches of
/// paragraphs in parallel and writes each document's tokens, then the end-of-sequence id, in source order.
/// </summary>
internal sealed class TokenizationPass
{
    // About a megabyte of text per batch: enough work to share between threads, small enough for frequent progress.
    private const int BatchCharacters = 1 << 20;

    private readonly CorpusPlan _plan;
    private readonly ModelTokenizer _tokenizer;
    private readonly TokenStreamWriter _train;
    private readonly TokenStreamWriter _heldOut;
    private readonly ParallelOptions _parallel;
    private readonly BuildProgressReporter _reporter;
    private readonly long _totalDocuments;
    private readonly long _totalBytes;
    private readonly List<(NormalizedDocument Document, DocumentFate Fate, CorpusCounts Counts)> _batch = [];
    private readonly List<string> _paragraphs = [];
    private int _batchCharacters;
    private long _documents;
    private long _bytes;
    private string _sourcePath = "";

    public TokenizationPass(CorpusPlan plan, ModelTokenizer tokenizer, TokenStreamWriter train, TokenStreamWriter heldOut,
        int maxDegreeOfParallelism, BuildProgressReporter reporter, CancellationToken cancellationToken)
    {
        _plan = plan;
        _tokenizer = tokenizer;
        _train = train;
        _heldOut = heldOut;
        _reporter = reporter;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        _totalDocuments = plan.KeptDocuments;
        _totalBytes = plan.KeptBytes;
    }

    /// <summary>Tokenizes every kept document of the plan, adding token counts to each source's counts.</summary>
    /// <exception cref="IOException">A source no longer holds the documents the scan saw.</exception>
    public void Run()
    {
        foreach (SourcePlan source in _plan.Sources)
        {
            _sourcePath = source.Source.Path;
            int index = 0;
            foreach (TextDocument document in TextDocumentReader.Read(source.Source, _parallel.CancellationToken))
            {
                if (index >= source.Documents.Count)
                    throw Changed(source.Source, $"it now holds more than the {source.Documents.Count} documents first read");
                PlannedDocument planned = source.Documents[index++];
                if (planned.Fate is DocumentFate.Train or DocumentFate.HeldOut)
                    Add(document, planned, source);
            }
            if (index != source.Documents.Count)
                throw Changed(source.Source, $"it now holds {index} documents, not the {source.Documents.Count} first read");
        }
        Flush();
    }

    private void Add(TextDocument document, PlannedDocument planned, SourcePlan source)
    {
        NormalizedDocument? normalized = NormalizedDocument.From(document);
        if (normalized is null || normalized.Hash != planned.Hash)
            throw Changed(source.Source, $"the document at {document.Location} differs from the first read");
        _batch.Add((normalized, planned.Fate, source.Counts));
        for (int p = 0; p < normalized.Paragraphs.Count; p++)
        {
            // Later paragraphs read as continuing text: a leading space gives their first word its word-initial token
            // (byte-level BPE's "Ġ", SentencePiece's "▁") instead of gluing it to the previous paragraph's last word.
            string paragraph = p == 0 ? normalized.Paragraphs[p] : " " + normalized.Paragraphs[p];
            _paragraphs.Add(paragraph);
            _batchCharacters += paragraph.Length;
        }
        if (_batchCharacters >= BatchCharacters)
            Flush();
    }

    private void Flush()
    {
        int[][] encoded = Encode();
        int next = 0;
        foreach ((NormalizedDocument document, DocumentFate fate, CorpusCounts counts) in _batch)
        {
            TokenStreamWriter writer = fate == DocumentFate.Train ? _train : _heldOut;
            long before = writer.Count;
            for (int p = 0; p < document.Paragraphs.Count; p++)
                writer.Write(encoded[next++]);
            writer.Write(_tokenizer.Special.EosId);
            if (fate == DocumentFate.Train)
                counts.TrainTokens += writer.Count - before;
            else
                counts.HeldOutTokens += writer.Count - before;
            _documents++;
            _bytes += document.ByteCount;
        }
        _batch.Clear();
        _paragraphs.Clear();
        _batchCharacters = 0;
        _parallel.CancellationToken.ThrowIfCancellationRequested();
        if (_reporter.IsDue)
            _reporter.Report(new CorpusBuildProgress(CorpusBuildPhase.Tokenizing, _sourcePath, _documents, _totalDocuments,
                _bytes, _totalBytes, _train.Count + _heldOut.Count));
    }

    private int[][] Encode()
    {
        var encoded = new int[_paragraphs.Count][];
        try
        {
            Parallel.For(0, _paragraphs.Count, _parallel, i => encoded[i] = ToArray(_tokenizer.EncodeText(_paragraphs[i])));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // Surface the tokenizer's own exception, as a sequential loop would.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return encoded;
    }

    private static int[] ToArray(IReadOnlyList<int> ids) =>
        ids is List<int> list ? CollectionsMarshal.AsSpan(list).ToArray() : ids.ToArray();

    private static IOException Changed(CorpusSource source, string detail) =>
        new($"Corpus source {source.Path} changed while the corpus was being built ({detail}); build again.");
}
