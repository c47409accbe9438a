using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Tests.Tokenization;
using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>A corpus built with the real shared tokenizers decodes back to its text.</summary>
[TestClass]
public sealed class RealTokenizerCorpusTests
{
    [TestMethod]
    [DataRow("roberta-base")]
    [DataRow("t5")]
    public void Build_SharedTokenizer_WindowsDecodeToTheDocuments(string name)
    {
        using var folder = new TemporaryFolder();
        ModelTokenizer tokenizer = SharedTokenizers.ByName(name);
        string text = CorpusTestData.WriteText(folder, "a.txt", ["The quick brown fox jumps over the lazy dog."], ["A second document."]);

        using TokenizedCorpus corpus = CorpusBuilder.Build([new CorpusSource(text, "books")], tokenizer, folder.Combine("out"),
            CorpusTestData.Options());

        int[] tokens = CorpusTestData.Tokens(corpus, CorpusSplit.Train);
        int eos = tokenizer.Special.EosId;
        Assert.AreEqual(eos, corpus.Manifest.Tokenizer.EosId);
        Assert.AreEqual(tokenizer.VocabularySize, corpus.Manifest.Tokenizer.VocabularySize);
        Assert.AreEqual(2, tokens.Count(id => id == eos));
        Assert.AreEqual(eos, tokens[^1]);
        int split = Array.IndexOf(tokens, eos);
        Assert.AreEqual("The quick brown fox jumps over the lazy dog.", tokenizer.Decode(tokens[..split]).Trim());
        Assert.AreEqual("A second document.", tokenizer.Decode(tokens[(split + 1)..^1]).Trim());
        CollectionAssert.AreEqual(tokenizer.EncodeText("The quick brown fox jumps over the lazy dog.").ToArray(), tokens[..split]);
    }
}
