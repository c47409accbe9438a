using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

[TestClass]
public sealed class CorpusBuilderTests
{
    private TemporaryFolder _folder = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = new TemporaryFolder();

    [TestCleanup]
    public void DeleteFolder() => _folder.Dispose();

    private TokenizedCorpus Build(IEnumerable<CorpusSource> sources, CorpusBuildOptions options, string output = "out") =>
        CorpusBuilder.Build(sources, new CharacterTokenizer(), _folder.Combine(output), options);

    [TestMethod]
    public void Build_TextAndJsonLines_WritesNormalisedDocumentsInSourceOrderParagraphsSpaceJoinedEachEndedByEos()
    {
        string text = CorpusTestData.WriteText(_folder, "a.txt", ["First  para.", "\tSecond para. "], ["Other doc."]);
        string json = CorpusTestData.WriteJsonLines(_folder, "b.jsonl", ["line\none", "  spaced   out  "]);

        using TokenizedCorpus corpus = Build([new CorpusSource(text, "books"), new CorpusSource(json, "task", "text")],
            CorpusTestData.Options());

        CollectionAssert.AreEqual(new[] { "First para. Second para.", "Other doc.", "line one", "spaced out" },
            CorpusTestData.Documents(corpus, CorpusSplit.Train));
        Assert.AreEqual(0, corpus.HeldOutTokenCount);
    }

    [TestMethod]
    public void Build_DuplicatesAcrossSources_KeepsFirstOccurrenceAndCountsTheRest()
    {
        string text = CorpusTestData.WriteText(_folder, "a.txt", ["Alpha."], ["Beta."]);
        string json = CorpusTestData.WriteJsonLines(_folder, "b.jsonl", ["Beta.", "Gamma.", "  Alpha.\n", "Gamma."]);

        using TokenizedCorpus corpus = Build([new CorpusSource(text, "books"), new CorpusSource(json, "task", "text")],
            CorpusTestData.Options());

        CollectionAssert.AreEqual(new[] { "Alpha.", "Beta.", "Gamma." }, CorpusTestData.Documents(corpus, CorpusSplit.Train));
        CorpusCounts task = corpus.Manifest.Parts.Single(part => part.Part == "task").Counts;
        Assert.AreEqual(4, task.DocumentsRead);
        Assert.AreEqual(3, task.DuplicateDocuments);
        Assert.AreEqual(1, task.TrainDocuments);
        Assert.AreEqual(3, corpus.Manifest.Total.DuplicateDocuments);
    }

    [TestMethod]
    public void Build_EmptyAndWhitespaceTexts_AreDroppedAndCounted()
    {
        string json = CorpusTestData.WriteJsonLines(_folder, "a.jsonl", ["", "kept", " \t\n ", "\u00A0"]);

        using TokenizedCorpus corpus = Build([new CorpusSource(json, "task", "text")], CorpusTestData.Options());

        CollectionAssert.AreEqual(new[] { "kept" }, CorpusTestData.Documents(corpus, CorpusSplit.Train));
        Assert.AreEqual(3, corpus.Manifest.Total.EmptyDocuments);
    }

    [TestMethod]
    public void Build_TenThousandDocuments_HoldsOutAboutTheFraction()
    {
        string json = CorpusTestData.WriteJsonLines(_folder, "a.jsonl", Enumerable.Range(0, 10_000).Select(i => $"doc {i}"));

        using TokenizedCorpus corpus = Build([new CorpusSource(json, "task", "text")], CorpusTestData.Options(heldOutFraction: 0.1));

        long heldOut = corpus.Manifest.Total.HeldOutDocuments;
        Assert.IsTrue(heldOut is > 900 and < 1100, $"{heldOut} of 10,000 documents held out at 0.1.");
        Assert.AreEqual(10_000 - heldOut, corpus.Manifest.Total.TrainDocuments);
        Assert.AreEqual(heldOut, CorpusTestData.Documents(corpus, CorpusSplit.HeldOut).Length);
    }

    [TestMethod]
    public void Build_SourcesInEitherOrder_HoldOutTheSameDocuments()
    {
        string first = CorpusTestData.WriteJsonLines(_folder, "a.jsonl", Enumerable.Range(0, 2_000).Select(i => $"a {i}"));
        string second = CorpusTestData.WriteJsonLines(_folder, "b.jsonl", Enumerable.Range(0, 2_000).Select(i => $"b {i}"));
        CorpusSource a = new(first, "task", "text"), b = new(second, "task", "text");

        using TokenizedCorpus forward = Build([a, b], CorpusTestData.Options(0.1), "forward");
        using TokenizedCorpus backward = Build([b, a], CorpusTestData.Options(0.1), "backward");

        string[] heldOut = CorpusTestData.Documents(forward, CorpusSplit.HeldOut);
        Assert.IsTrue(heldOut.Length > 0);
        CollectionAssert.AreEquivalent(heldOut, CorpusTestData.Documents(backward, CorpusSplit.HeldOut));
    }

    [TestMethod]
    public void Build_DifferentSeeds_HoldOutDifferentDocuments()
    {
        string json = CorpusTestData.WriteJsonLines(_folder, "a.jsonl", Enumerable.Range(0, 2_000).Select(i => $"doc {i}"));
        var source = new CorpusSource(json, "task", "text");

        using TokenizedCorpus seed0 = Build([source], CorpusTestData.Options(0.1, seed: 0), "seed0");
        using TokenizedCorpus seed1 = Build([source], CorpusTestData.Options(0.1, seed: 1), "seed1");

        CollectionAssert.AreNotEquivalent(CorpusTestData.Documents(seed0, CorpusSplit.HeldOut), CorpusTestData.Documents(seed1, CorpusSplit.HeldOut));
    }

    [TestMethod]
    public void Build_PartOfFewDocuments_HoldsOutTheMinimumAndKeepsTraining()
    {
        string books = CorpusTestData.WriteText(_folder, "books.txt", ["Book one."], ["Book two."], ["Book three."], ["Book four."]);
        string single = CorpusTestData.WriteText(_folder, "single.txt", ["Only document."]);

        using TokenizedCorpus corpus = Build([new CorpusSource(books, "books"), new CorpusSource(single, "single")],
            CorpusTestData.Options(heldOutFraction: 0.001, minimumHeldOut: 1));

        CorpusCounts bookCounts = corpus.Manifest.Parts.Single(part => part.Part == "books").Counts;
        CorpusCounts singleCounts = corpus.Manifest.Parts.Single(part => part.Part == "single").Counts;
        Assert.AreEqual(1, bookCounts.HeldOutDocuments);
        Assert.AreEqual(3, bookCounts.TrainDocuments);
        Assert.AreEqual(0, singleCounts.HeldOutDocuments, "A part's only document stays in training.");
    }

    [TestMethod]
    public void Build_ParallelAndSequential_WriteIdenticalFiles()
    {
        string text = CorpusTestData.WriteText(_folder, "a.txt",
            Enumerable.Range(0, 300).Select(i => Enumerable.Range(0, i % 7 + 1).Select(p => $"Doc {i} paragraph {p}.").ToArray()).ToArray());
        var source = new CorpusSource(text, "books");
        CorpusBuildOptions parallel = CorpusTestData.Options(0.2);
        parallel.MaxDegreeOfParallelism = 4;

        using TokenizedCorpus sequential = Build([source], CorpusTestData.Options(0.2), "sequential");
        using TokenizedCorpus concurrent = Build([source], parallel, "parallel");

        CollectionAssert.AreEqual(CorpusTestData.Tokens(sequential, CorpusSplit.Train), CorpusTestData.Tokens(concurrent, CorpusSplit.Train));
        CollectionAssert.AreEqual(CorpusTestData.Tokens(sequential, CorpusSplit.HeldOut), CorpusTestData.Tokens(concurrent, CorpusSplit.HeldOut));
    }

    [TestMethod]
    public void Build_ManifestCounts_AddUpAndMatchTheTokenFiles()
    {
        string text = CorpusTestData.WriteText(_folder, "a.txt", ["One. Two."], ["Three."], ["Four five six."]);
        string json = CorpusTestData.WriteJsonLines(_folder, "b.jsonl", Enumerable.Range(0, 200).Select(i => $"text {i}"));

        using TokenizedCorpus corpus = Build([new CorpusSource(text, "books"), new CorpusSource(json, "task", "text")],
            CorpusTestData.Options(0.2, minimumHeldOut: 1));

        CorpusManifest manifest = corpus.Manifest;
        Assert.AreEqual(corpus.TrainTokenCount, manifest.Parts.Sum(part => part.Counts.TrainTokens));
        Assert.AreEqual(corpus.HeldOutTokenCount, manifest.Parts.Sum(part => part.Counts.HeldOutTokens));
        Assert.AreEqual(manifest.Total.TrainTokens, manifest.Sources.Sum(source => source.Counts.TrainTokens));
        Assert.AreEqual(manifest.Total.TrainBytes + manifest.Total.TrainDocuments, corpus.TrainTokenCount, "One char token per byte plus EOS.");
        Assert.AreEqual(128, manifest.Tokenizer.VocabularySize);
        Assert.AreEqual(CharacterTokenizer.Eos, manifest.Tokenizer.EosId);
        Assert.AreEqual(0.2, manifest.HeldOutFraction);
        Assert.AreEqual(Path.GetFullPath(text), manifest.Sources[0].Path);
        Assert.AreEqual(new FileInfo(json).Length, manifest.Sources[1].Length);
    }

    [TestMethod]
    public void Build_ExclusionSource_DropsDocumentsWithTheSameText()
    {
        string train = CorpusTestData.WriteJsonLines(_folder, "train.jsonl", ["keep me", "an  evaluation sentence", "keep too"]);
        string dev = CorpusTestData.WriteJsonLines(_folder, "dev.jsonl", ["an evaluation sentence", "unrelated"]);
        CorpusBuildOptions options = CorpusTestData.Options();
        options.ExclusionSources = [new CorpusSource(dev, "task", "text")];

        using TokenizedCorpus corpus = Build([new CorpusSource(train, "task", "text")], options);

        CollectionAssert.AreEqual(new[] { "keep me", "keep too" }, CorpusTestData.Documents(corpus, CorpusSplit.Train));
        Assert.AreEqual(1, corpus.Manifest.Total.ExcludedDocuments);
        Assert.AreEqual(2, corpus.Manifest.ExclusionSources.Single().Counts.DocumentsRead);
    }

    [TestMethod]
    public void Build_WithProgress_EndsWithCompletedReportOfAllTokens()
    {
        string json = CorpusTestData.WriteJsonLines(_folder, "a.jsonl", ["one", "two"]);
        var progress = new SynchronousProgress<CorpusBuildProgress>();

        using TokenizedCorpus corpus = CorpusBuilder.Build([new CorpusSource(json, "task", "text")], new CharacterTokenizer(),
            _folder.Combine("out"), CorpusTestData.Options(), progress);

        CorpusBuildProgress last = progress.Reports[^1];
        Assert.AreEqual(CorpusBuildPhase.Completed, last.Phase);
        Assert.AreEqual(2, last.Documents);
        Assert.AreEqual(corpus.TrainTokenCount, last.Tokens);
        Assert.AreEqual(1.0, last.Fraction);
    }

    [TestMethod]
    public void Build_MissingSourceFile_ThrowsFileNotFoundNamingIt()
    {
        string missing = _folder.Combine("missing.txt");

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => Build([new CorpusSource(missing, "books")], CorpusTestData.Options()));

        StringAssert.Contains(error.Message, missing);
    }

    [TestMethod]
    public void Build_SourceListedTwice_Throws()
    {
        var source = new CorpusSource(CorpusTestData.WriteText(_folder, "a.txt", ["x"]), "books");

        Assert.ThrowsExactly<ArgumentException>(() => Build([source, source], CorpusTestData.Options()));
    }

    [TestMethod]
    [DataRow(1.0, 1, nameof(CorpusBuildOptions.HeldOutFraction))]
    [DataRow(-0.1, 1, nameof(CorpusBuildOptions.HeldOutFraction))]
    [DataRow(0.1, 0, nameof(CorpusBuildOptions.MaxDegreeOfParallelism))]
    public void Build_InvalidOptions_ThrowsNamingTheOption(double fraction, int threads, string option)
    {
        var source = new CorpusSource(CorpusTestData.WriteText(_folder, "a.txt", ["x"]), "books");
        var options = new CorpusBuildOptions { HeldOutFraction = fraction, MaxDegreeOfParallelism = threads };

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Build([source], options));

        Assert.AreEqual(option, error.ParamName);
    }

    [TestMethod]
    public void Build_MalformedSource_ThrowsBeforeWritingAnything()
    {
        string good = CorpusTestData.WriteText(_folder, "a.txt", ["fine"]);
        string bad = _folder.Write("b.jsonl", "{\"text\": \"ok\"}\n{oops}\n");

        Assert.ThrowsExactly<CorpusFormatException>(() => Build([new CorpusSource(good, "books"), new CorpusSource(bad, "task", "text")],
            CorpusTestData.Options()));

        Assert.IsFalse(Directory.EnumerateFiles(_folder.Combine("out")).Any(file => !file.EndsWith("corpus.lock")));
    }
}
