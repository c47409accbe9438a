using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Builds a <see cref="TokenizedCorpus"/> from text sources, or reuses the one already built from the same inputs.</summary>
public static class CorpusBuilder
{
    /// <summary>
    /// Reads <paramref name="sources"/> in order, normalises whitespace, drops empty documents, documents equal to an
    /// exclusion source's and exact duplicates (first occurrence kept, 64-bit hash of the normalised text), holds out each
    /// document with probability <see cref="CorpusBuildOptions.HeldOutFraction"/> by a hash of its text and the seed, and
    /// writes the kept documents' tokens, each followed by the end-of-sequence id, to <c>train.tokens</c> and
    /// <c>heldout.tokens</c> with a <c>corpus.json</c> manifest. Paragraphs are encoded one by one and their ids concatenated
    /// (no separator token), so each paragraph starts as a text start does. The output is the same for any degree of
    /// parallelism.
    /// When <paramref name="outputDirectory"/> already holds a complete corpus built from the same inputs (file paths,
    /// sizes and times, tokenizer, split options) it is opened instead. Files are published only when complete (temporary
    /// names, then renames, manifest last), so a failed, cancelled or killed build leaves nothing that is trusted later.
    /// </summary>
    /// <param name="sources">The source files, at least one; their order fixes the order of the token streams.</param>
    /// <param name="tokenizer">Encodes each paragraph without special tokens; its end-of-sequence id ends each document.</param>
    /// <param name="outputDirectory">The corpus folder; created when missing.</param>
    /// <param name="options">Held-out fraction, seed, exclusions and parallelism.</param>
    /// <param name="progress">Receives a few reports a second: documents, bytes and tokens so far.</param>
    /// <param name="cancellationToken">Stops the build; the folder then holds no new corpus.</param>
    /// <exception cref="ArgumentException">No sources, or one listed twice.</exception>
    /// <exception cref="FileNotFoundException">A source file does not exist.</exception>
    /// <exception cref="CorpusFormatException">A source file is malformed; the message names it and the line.</exception>
    /// <exception cref="OperationCanceledException">The build was cancelled.</exception>
    public static TokenizedCorpus Build(IEnumerable<CorpusSource> sources, ModelTokenizer tokenizer, string outputDirectory,
        CorpusBuildOptions options, IProgress<CorpusBuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CorpusInputs inputs = CorpusInputs.Describe(CheckSources(sources), tokenizer, options);
        Directory.CreateDirectory(outputDirectory);
        var reporter = new BuildProgressReporter(progress);
        TokenizedCorpus corpus;
        using (CorpusBuildLock.Acquire(outputDirectory, cancellationToken))
        {
            corpus = TokenizedCorpus.TryOpenCurrent(outputDirectory, inputs.Hash)
                ?? Write(inputs, tokenizer, outputDirectory, options.MaxDegreeOfParallelism, reporter, cancellationToken);
        }
        CorpusCounts total = corpus.Manifest.Total;
        reporter.Report(new CorpusBuildProgress(CorpusBuildPhase.Completed, null, total.TrainDocuments + total.HeldOutDocuments,
            total.TrainDocuments + total.HeldOutDocuments, total.TrainBytes + total.HeldOutBytes, total.TrainBytes + total.HeldOutBytes,
            total.TrainTokens + total.HeldOutTokens));
        return corpus;
    }

    private static List<CorpusSource> CheckSources(IEnumerable<CorpusSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        List<CorpusSource> list = sources.ToList();
        if (list.Count == 0)
            throw new ArgumentException("A corpus needs at least one source.", nameof(sources));
        if (list.Any(source => source is null))
            throw new ArgumentException("The source list holds a null entry.", nameof(sources));
        CorpusSource? repeated = list.GroupBy(source => source).FirstOrDefault(group => group.Count() > 1)?.Key;
        if (repeated is not null)
            throw new ArgumentException($"The source {repeated} is listed more than once.", nameof(sources));
        return list;
    }

    /// <summary>Scans, tokenizes into temporary files and publishes them; temporary files never outlive a failure.</summary>
    private static TokenizedCorpus Write(CorpusInputs inputs, ModelTokenizer tokenizer, string directory, int maxDegreeOfParallelism,
        BuildProgressReporter reporter, CancellationToken cancellationToken)
    {
        CorpusDirectory.DeleteTemporaryFiles(directory);
        CorpusPlan plan = CorpusScanner.Scan(inputs, reporter, cancellationToken);
        string trainTemporary = CorpusDirectory.TemporaryPath(directory, CorpusDirectory.TrainFileName);
        string heldOutTemporary = CorpusDirectory.TemporaryPath(directory, CorpusDirectory.HeldOutFileName);
        try
        {
            using (TokenStreamWriter train = TokenStreamWriter.Create(trainTemporary))
            using (TokenStreamWriter heldOut = TokenStreamWriter.Create(heldOutTemporary))
            {
                new TokenizationPass(plan, tokenizer, train, heldOut, maxDegreeOfParallelism, reporter, cancellationToken).Run();
                train.Complete();
                heldOut.Complete();
            }
            inputs.EnsureUnchanged();
            CorpusDirectory.Publish(directory, trainTemporary, heldOutTemporary, plan.ToManifest(inputs));
        }
        finally
        {
            File.Delete(trainTemporary);
            File.Delete(heldOutTemporary);
        }
        return TokenizedCorpus.Open(directory);
    }
}
