namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// The first pass of a build: reads every source once, normalises each document, drops empty, excluded and duplicate ones
/// and assigns the rest to train or held-out. Nothing is tokenized, so malformed files fail fast and the totals are known
/// before the long pass starts.
/// </summary>
internal static class CorpusScanner
{
    /// <summary>Plans every document of <paramref name="inputs"/>' sources, in source order.</summary>
    public static CorpusPlan Scan(CorpusInputs inputs, BuildProgressReporter reporter, CancellationToken cancellationToken)
    {
        var progress = new ScanProgress(reporter);
        var exclusions = inputs.Exclusions.Zip(inputs.ExclusionStamps, (source, stamp) => new SourcePlan(source, stamp)).ToArray();
        HashSet<ulong> excluded = HashExclusions(exclusions, progress, cancellationToken);
        var seen = new HashSet<ulong>();
        var plans = new List<SourcePlan>(inputs.Sources.Count);
        for (int s = 0; s < inputs.Sources.Count; s++)
        {
            var plan = new SourcePlan(inputs.Sources[s], inputs.SourceStamps[s]);
            foreach (TextDocument document in TextDocumentReader.Read(plan.Source, cancellationToken))
            {
                NormalizedDocument? normalized = NormalizedDocument.From(document);
                DocumentFate fate = normalized is null ? DocumentFate.Empty
                    : excluded.Contains(normalized.Hash) ? DocumentFate.Excluded
                    : !seen.Add(normalized.Hash) ? DocumentFate.Duplicate
                    : HeldOutAssignment.IsHeldOut(normalized.Hash, inputs.Seed, inputs.HeldOutFraction) ? DocumentFate.HeldOut
                    : DocumentFate.Train;
                plan.Documents.Add(new PlannedDocument(normalized?.Hash ?? 0, normalized?.ByteCount ?? 0, fate));
                progress.Read(plan.Source, normalized?.ByteCount ?? 0);
            }
            plans.Add(plan);
        }
        if (inputs.HeldOutFraction > 0)
            HeldOutAssignment.EnsureMinimumPerPart(plans, inputs.MinimumHeldOutDocumentsPerPart, inputs.Seed);
        foreach (SourcePlan plan in plans)
            CountDocuments(plan);
        return new CorpusPlan(plans, exclusions);
    }

    /// <summary>The hashes of every exclusion source's documents; counts what each source held.</summary>
    private static HashSet<ulong> HashExclusions(IEnumerable<SourcePlan> exclusions, ScanProgress progress, CancellationToken cancellationToken)
    {
        var hashes = new HashSet<ulong>();
        foreach (SourcePlan exclusion in exclusions)
        {
            CorpusCounts counts = exclusion.Counts;
            foreach (TextDocument document in TextDocumentReader.Read(exclusion.Source, cancellationToken))
            {
                NormalizedDocument? normalized = NormalizedDocument.From(document);
                counts.DocumentsRead++;
                if (normalized is null)
                    counts.EmptyDocuments++;
                else
                    hashes.Add(normalized.Hash);
                progress.Read(exclusion.Source, normalized?.ByteCount ?? 0);
            }
        }
        return hashes;
    }

    private static void CountDocuments(SourcePlan plan)
    {
        CorpusCounts counts = plan.Counts;
        foreach (PlannedDocument document in plan.Documents)
        {
            counts.DocumentsRead++;
            switch (document.Fate)
            {
                case DocumentFate.Empty: counts.EmptyDocuments++; break;
                case DocumentFate.Duplicate: counts.DuplicateDocuments++; break;
                case DocumentFate.Excluded: counts.ExcludedDocuments++; break;
                case DocumentFate.Train: counts.TrainDocuments++; counts.TrainBytes += document.ByteCount; break;
                default: counts.HeldOutDocuments++; counts.HeldOutBytes += document.ByteCount; break;
            }
        }
    }

    /// <summary>Running totals of the scan, reported a few times a second.</summary>
    private sealed class ScanProgress(BuildProgressReporter reporter)
    {
        private long _documents;
        private long _bytes;

        public void Read(CorpusSource source, long bytes)
        {
            _documents++;
            _bytes += bytes;
            if (reporter.IsDue)
                reporter.Report(new CorpusBuildProgress(CorpusBuildPhase.Scanning, source.Path, _documents, 0, _bytes, 0, 0));
        }
    }
}
