using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>Reuse of a current corpus, rebuilds when inputs change, and what failed or interrupted builds leave behind.</summary>
[TestClass]
public sealed class CorpusCacheTests
{
    private TemporaryFolder _folder = null!;
    private string _output = null!;

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = new TemporaryFolder();
        _output = _folder.Combine("out");
    }

    [TestCleanup]
    public void DeleteFolder() => _folder.Dispose();

    private TokenizedCorpus Build(CorpusSource source, CorpusBuildOptions? options = null, CharacterTokenizer? tokenizer = null,
        CancellationToken cancellationToken = default) =>
        CorpusBuilder.Build([source], tokenizer ?? new CharacterTokenizer(), _output, options ?? CorpusTestData.Options(),
            cancellationToken: cancellationToken);

    [TestMethod]
    public void Build_CurrentCorpus_IsReusedWithoutRebuilding()
    {
        var source = new CorpusSource(CorpusTestData.WriteText(_folder, "a.txt", ["Alpha."], ["Beta."]), "books");
        DateTime created;
        using (TokenizedCorpus first = Build(source))
            created = first.Manifest.CreatedUtc;
        int encodes = 0;

        using TokenizedCorpus second = Build(source, tokenizer: new CharacterTokenizer(() => Interlocked.Increment(ref encodes)));

        Assert.AreEqual(created, second.Manifest.CreatedUtc);
        Assert.AreEqual(1, encodes, "Only the tokenizer probe of the cache check runs.");
        CollectionAssert.AreEqual(new[] { "Alpha.", "Beta." }, CorpusTestData.Documents(second, CorpusSplit.Train));
    }

    [TestMethod]
    public void Build_SourceChanged_Rebuilds()
    {
        string path = CorpusTestData.WriteText(_folder, "a.txt", ["Alpha."]);
        var source = new CorpusSource(path, "books");
        Build(source).Dispose();
        File.WriteAllText(path, "Changed text.\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

        using TokenizedCorpus rebuilt = Build(source);

        CollectionAssert.AreEqual(new[] { "Changed text." }, CorpusTestData.Documents(rebuilt, CorpusSplit.Train));
    }

    [TestMethod]
    public void Build_OptionsChanged_Rebuilds()
    {
        var source = new CorpusSource(CorpusTestData.WriteJsonLines(_folder, "a.jsonl", Enumerable.Range(0, 500).Select(i => $"t{i}")), "task", "text");
        Build(source, CorpusTestData.Options(0.1, seed: 0)).Dispose();

        using TokenizedCorpus rebuilt = Build(source, CorpusTestData.Options(0.1, seed: 7));

        Assert.AreEqual(7, rebuilt.Manifest.Seed);
    }

    [TestMethod]
    public void Build_CancelledDuringTokenization_LeavesNoTrustedCorpusAndNoTemporaryFiles()
    {
        var source = new CorpusSource(CorpusTestData.WriteText(_folder, "a.txt",
            Enumerable.Range(0, 50).Select(i => new[] { $"Paragraph {i}." }).ToArray()), "books");
        using var cancellation = new CancellationTokenSource();
        int encodes = 0;
        // The first encode is the tokenizer probe; cancel part-way through the documents.
        var tokenizer = new CharacterTokenizer(() =>
        {
            if (Interlocked.Increment(ref encodes) == 10)
                cancellation.Cancel();
        });

        Assert.ThrowsExactly<OperationCanceledException>(() => Build(source, tokenizer: tokenizer, cancellationToken: cancellation.Token));

        Assert.IsFalse(File.Exists(Path.Combine(_output, "corpus.json")));
        Assert.AreEqual(0, Directory.GetFiles(_output, "*.tmp").Length + Directory.GetFiles(_output, ".*.tmp").Length);
        Assert.ThrowsExactly<FileNotFoundException>(() => TokenizedCorpus.Open(_output));
        using TokenizedCorpus rebuilt = Build(source);
        Assert.AreEqual(50, CorpusTestData.Documents(rebuilt, CorpusSplit.Train).Length);
    }

    [TestMethod]
    public void Build_CancelledRebuildOfChangedSource_NeverReturnsTheOldCorpus()
    {
        string path = CorpusTestData.WriteText(_folder, "a.txt", ["Old text."]);
        var source = new CorpusSource(path, "books");
        Build(source).Dispose();
        File.WriteAllText(path, "New text.\n\nMore new text.\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        using var cancellation = new CancellationTokenSource();
        int encodes = 0;
        // The first encode is the tokenizer probe; cancel on the first document.
        var cancelling = new CharacterTokenizer(() =>
        {
            if (Interlocked.Increment(ref encodes) == 2)
                cancellation.Cancel();
        });

        Assert.ThrowsExactly<OperationCanceledException>(() => Build(source, tokenizer: cancelling, cancellationToken: cancellation.Token));
        using TokenizedCorpus rebuilt = Build(source);

        CollectionAssert.AreEqual(new[] { "New text.", "More new text." }, CorpusTestData.Documents(rebuilt, CorpusSplit.Train));
    }

    [TestMethod]
    public void Build_TruncatedTokenFile_IsNotTrustedAndRebuilt()
    {
        var source = new CorpusSource(CorpusTestData.WriteText(_folder, "a.txt", ["Alpha."], ["Beta."]), "books");
        Build(source).Dispose();
        string train = Path.Combine(_output, "train.tokens");
        using (var stream = new FileStream(train, FileMode.Open))
            stream.SetLength(stream.Length - 4);

        Assert.ThrowsExactly<CorpusFormatException>(() => TokenizedCorpus.Open(_output));
        using TokenizedCorpus rebuilt = Build(source);

        CollectionAssert.AreEqual(new[] { "Alpha.", "Beta." }, CorpusTestData.Documents(rebuilt, CorpusSplit.Train));
    }

    [TestMethod]
    public void Build_LeftoverTemporaryFilesOfAKilledBuild_AreRemoved()
    {
        Directory.CreateDirectory(_output);
        string leftover = Path.Combine(_output, ".train.tokens.0123456789abcdef.tmp");
        File.WriteAllBytes(leftover, [1, 2, 3]);
        var source = new CorpusSource(CorpusTestData.WriteText(_folder, "a.txt", ["Alpha."]), "books");

        using TokenizedCorpus corpus = Build(source);

        Assert.IsFalse(File.Exists(leftover));
    }

    [TestMethod]
    public void Build_FailingTokenizer_LeavesNoTemporaryFiles()
    {
        var source = new CorpusSource(CorpusTestData.WriteText(_folder, "a.txt", ["Alpha."], ["Beta."]), "books");
        int encodes = 0;
        var failing = new CharacterTokenizer(() =>
        {
            if (Interlocked.Increment(ref encodes) > 1)
                throw new InvalidOperationException("tokenizer failure");
        });

        Assert.ThrowsExactly<InvalidOperationException>(() => Build(source, tokenizer: failing));

        Assert.AreEqual(0, Directory.GetFiles(_output, ".*.tmp").Length);
        Assert.IsFalse(File.Exists(Path.Combine(_output, "corpus.json")));
    }

    [TestMethod]
    public void Build_FolderLockedByAnotherBuild_WaitsUntilCancelled()
    {
        var source = new CorpusSource(CorpusTestData.WriteText(_folder, "a.txt", ["Alpha."]), "books");
        Directory.CreateDirectory(_output);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        using (CorpusBuildLock.Acquire(_output, CancellationToken.None))
            Assert.ThrowsExactly<OperationCanceledException>(() => Build(source, cancellationToken: cancellation.Token));

        using TokenizedCorpus corpus = Build(source);
        Assert.AreEqual(1, corpus.Manifest.Total.TrainDocuments);
    }
}
