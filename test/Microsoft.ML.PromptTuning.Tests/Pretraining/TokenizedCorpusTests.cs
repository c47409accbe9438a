using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

[TestClass]
public sealed class TokenizedCorpusTests
{
    private static TemporaryFolder _folder = null!;
    private static TokenizedCorpus _corpus = null!;

    [ClassInitialize]
    public static void BuildCorpus(TestContext context)
    {
        _folder = new TemporaryFolder();
        string json = CorpusTestData.WriteJsonLines(_folder, "a.jsonl", Enumerable.Range(0, 400).Select(i => $"document number {i}"));
        _corpus = CorpusBuilder.Build([new CorpusSource(json, "task", "text")], new CharacterTokenizer(), _folder.Combine("out"),
            CorpusTestData.Options(heldOutFraction: 0.1));
    }

    [ClassCleanup]
    public static void DeleteCorpus()
    {
        _corpus.Dispose();
        _folder.Dispose();
    }

    [TestMethod]
    [DataRow(CorpusSplit.Train, 1)]
    [DataRow(CorpusSplit.Train, 7)]
    [DataRow(CorpusSplit.Train, 64)]
    [DataRow(CorpusSplit.HeldOut, 16)]
    public void ReadWindow_AllWindows_ConcatenateToTheStreamPrefix(CorpusSplit split, int length)
    {
        int[] stream = CorpusTestData.Tokens(_corpus, split);
        long windows = _corpus.WindowCount(split, length);
        var window = new int[length];
        var concatenated = new List<int>();

        for (long i = 0; i < windows; i++)
        {
            _corpus.ReadWindow(split, i, length, window);
            concatenated.AddRange(window);
        }

        Assert.AreEqual(stream.Length / length, windows);
        CollectionAssert.AreEqual(stream[..(int)(windows * length)], concatenated);
    }

    [TestMethod]
    public void ReadWindow_PackedDocuments_SpanDocumentBoundariesWithEos()
    {
        var window = new int[64];

        _corpus.ReadWindow(CorpusSplit.Train, 0, 64, window);

        Assert.IsTrue(window.Count(id => id == CharacterTokenizer.Eos) >= 2, "A 64-token window holds several ~20-token documents.");
    }

    [TestMethod]
    public void ReadWindow_IndexPastTheEnd_Throws()
    {
        long windows = _corpus.WindowCount(CorpusSplit.Train, 32);

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _corpus.ReadWindow(CorpusSplit.Train, windows, 32, new int[32]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _corpus.ReadWindow(CorpusSplit.Train, -1, 32, new int[32]));
    }

    [TestMethod]
    public void ReadWindow_ShortDestination_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => _corpus.ReadWindow(CorpusSplit.Train, 0, 32, new int[31]));
    }

    [TestMethod]
    public void ShuffledWindowOrder_SameSeedAndEpoch_IsTheSamePermutation()
    {
        long[] first = _corpus.ShuffledWindowOrder(CorpusSplit.Train, 16, seed: 3, epoch: 2);
        long[] second = _corpus.ShuffledWindowOrder(CorpusSplit.Train, 16, seed: 3, epoch: 2);

        CollectionAssert.AreEqual(first, second);
        CollectionAssert.AreEqual(Enumerable.Range(0, (int)_corpus.WindowCount(CorpusSplit.Train, 16)).Select(i => (long)i).ToArray(),
            first.Order().ToArray());
        CollectionAssert.AreNotEqual(first.Order().ToArray(), first, "The order is shuffled.");
    }

    [TestMethod]
    public void ShuffledWindowOrder_OtherEpochOrSeed_IsADifferentOrder()
    {
        long[] order = _corpus.ShuffledWindowOrder(CorpusSplit.Train, 16, seed: 3, epoch: 2);

        CollectionAssert.AreNotEqual(order, _corpus.ShuffledWindowOrder(CorpusSplit.Train, 16, seed: 3, epoch: 3));
        CollectionAssert.AreNotEqual(order, _corpus.ShuffledWindowOrder(CorpusSplit.Train, 16, seed: 4, epoch: 2));
    }

    [TestMethod]
    [DataRow(CorpusSplit.Train)]
    [DataRow(CorpusSplit.HeldOut)]
    public void UnigramCounts_Split_SumToTokenCountAndCountEachDocumentsEos(CorpusSplit split)
    {
        long[] counts = _corpus.UnigramCounts(split);

        Assert.AreEqual(_corpus.Manifest.Tokenizer.VocabularySize, counts.Length);
        Assert.AreEqual(_corpus.TokenCount(split), counts.Sum());
        long documents = split == CorpusSplit.Train ? _corpus.Manifest.Total.TrainDocuments : _corpus.Manifest.Total.HeldOutDocuments;
        Assert.AreEqual(documents, counts[CharacterTokenizer.Eos]);
    }

    [TestMethod]
    public void UnigramCounts_ReturnedArray_IsACopy()
    {
        _corpus.UnigramCounts(CorpusSplit.Train)[5] = -1;

        Assert.AreNotEqual(-1, _corpus.UnigramCounts(CorpusSplit.Train)[5]);
    }

    [TestMethod]
    public void Open_BuiltFolder_ReadsTheSameManifestAndTokens()
    {
        using TokenizedCorpus reopened = TokenizedCorpus.Open(_corpus.Directory);

        Assert.AreEqual(_corpus.Manifest.InputsHash, reopened.Manifest.InputsHash);
        Assert.AreEqual(_corpus.Manifest.Total.TrainDocuments, reopened.Manifest.Total.TrainDocuments);
        CollectionAssert.AreEqual(CorpusTestData.Tokens(_corpus, CorpusSplit.HeldOut), CorpusTestData.Tokens(reopened, CorpusSplit.HeldOut));
    }
}
