using System.Security.Cryptography;
using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

[TestClass]
public sealed class ModelTokenizerFromDirectoryTests
{
    private const string SampleText = "The capital of France is Paris.";

    [TestMethod]
    [DataRow("roberta-base", typeof(RobertaBpeTokenizer))]
    [DataRow("bert-base-uncased", typeof(BertWordPieceTokenizer))]
    [DataRow("t5", typeof(T5SentencePieceTokenizer))]
    public void FromDirectory_OneFamilysFiles_LoadsThatFamily(string shared, Type expected)
    {
        using var folder = new TemporaryTokenizerFolder().WithShared(shared);

        ModelTokenizer tokenizer = ModelTokenizer.FromDirectory(folder.Path);

        Assert.IsInstanceOfType(tokenizer, expected);
        CollectionAssert.AreEqual(SharedTokenizers.ByName(shared).Encode(SampleText).ToArray(), tokenizer.Encode(SampleText).ToArray());
    }

    [TestMethod]
    [DataRow("""{"model_type": "roberta"}""", null, typeof(RobertaBpeTokenizer))]
    [DataRow("""{"model_type": "bert"}""", null, typeof(BertWordPieceTokenizer))]
    [DataRow("""{"model_type": "distilbert"}""", null, typeof(BertWordPieceTokenizer))]
    [DataRow("""{"model_type": "t5"}""", null, typeof(T5SentencePieceTokenizer))]
    [DataRow(null, """{"tokenizer_class": "BertTokenizerFast"}""", typeof(BertWordPieceTokenizer))]
    [DataRow(null, """{"tokenizer_class": "RobertaTokenizer"}""", typeof(RobertaBpeTokenizer))]
    [DataRow(null, null, typeof(T5SentencePieceTokenizer))]
    [DataRow("""{"model_type": "gpt2"}""", null, typeof(T5SentencePieceTokenizer))]
    public void FromDirectory_SeveralFamiliesFiles_ConfigDecides(string? config, string? tokenizerConfig, Type expected)
    {
        using var folder = new TemporaryTokenizerFolder().WithShared("roberta-base").WithShared("bert-base-uncased").WithShared("t5");
        if (config is not null)
            folder.WithFile("config.json", config);
        if (tokenizerConfig is not null)
            folder.WithFile("tokenizer_config.json", tokenizerConfig);

        Assert.IsInstanceOfType(ModelTokenizer.FromDirectory(folder.Path), expected);
    }

    [TestMethod]
    public void FromDirectory_NoTokenizerFiles_ThrowsFileNotFoundNamingFolderAndFiles()
    {
        using var folder = new TemporaryTokenizerFolder().WithFile("config.json", """{"model_type": "bert"}""");

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => ModelTokenizer.FromDirectory(folder.Path));

        foreach (string expected in new[] { folder.Path, "spiece.model", "vocab.json", "merges.txt", "vocab.txt" })
            StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public void FromDirectory_VocabJsonWithoutMerges_SaysMergesAreMissing()
    {
        using var folder = new TemporaryTokenizerFolder().WithFile("vocab.json", """{"<s>": 0}""");

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => ModelTokenizer.FromDirectory(folder.Path));

        StringAssert.Contains(error.Message, "merges.txt is missing");
    }

    [TestMethod]
    public void FromDirectory_OnlyFastTokenizerJson_SaysItIsNotSupported()
    {
        using var folder = new TemporaryTokenizerFolder().WithFile("tokenizer.json", "{}");

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => ModelTokenizer.FromDirectory(folder.Path));

        StringAssert.Contains(error.Message, "tokenizer.json alone is not supported");
    }

    [TestMethod]
    public void FromDirectory_MissingFolder_ThrowsDirectoryNotFound()
    {
        string missing = Path.Combine(Path.GetTempPath(), "prompttuning-no-such-folder-" + Guid.NewGuid().ToString("N"));

        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => ModelTokenizer.FromDirectory(missing));

        StringAssert.Contains(error.Message, missing);
    }

    [TestMethod]
    [DataRow(null, true)]
    [DataRow("""{"do_lower_case": true}""", true)]
    [DataRow("""{"do_lower_case": false}""", false)]
    public void FromDirectory_BertUncasedVocabulary_FollowsDoLowerCase(string? tokenizerConfig, bool lowerCase)
    {
        using var folder = new TemporaryTokenizerFolder().WithShared("bert-base-uncased");
        if (tokenizerConfig is not null)
            folder.WithFile("tokenizer_config.json", tokenizerConfig);

        var tokenizer = (BertWordPieceTokenizer)ModelTokenizer.FromDirectory(folder.Path);

        Assert.AreEqual(lowerCase, tokenizer.LowerCase);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("""{"do_lower_case": true}""")]
    public void FromDirectory_BertCasedVocabulary_KeepsCase(string? tokenizerConfig)
    {
        string[] tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Hello", "hello", "World", "world", "The", "the", "##s"];
        using var folder = new TemporaryTokenizerFolder().WithFile("vocab.txt", string.Join('\n', tokens) + "\n");
        if (tokenizerConfig is not null)
            folder.WithFile("tokenizer_config.json", tokenizerConfig);

        var tokenizer = (BertWordPieceTokenizer)ModelTokenizer.FromDirectory(folder.Path);

        Assert.IsFalse(tokenizer.LowerCase);
        CollectionAssert.AreEqual(new[] { 2, 5, 8, 3 }, tokenizer.Encode("Hello world").ToArray());
        Assert.AreEqual(tokens.Length, tokenizer.VocabularySize);
    }

    [TestMethod]
    public void FromDirectory_T5WithExtraIds_PlacesThatManySentinels()
    {
        using var folder = new TemporaryTokenizerFolder().WithShared("t5").WithFile("tokenizer_config.json", """{"extra_ids": 10}""");

        var tokenizer = (T5SentencePieceTokenizer)ModelTokenizer.FromDirectory(folder.Path);

        Assert.AreEqual(32010, tokenizer.VocabularySize);
        Assert.AreEqual(32009, tokenizer.TokenToId("<extra_id_0>"));
        Assert.IsNull(tokenizer.TokenToId("<extra_id_10>"));
    }

    [TestMethod]
    public void FromDirectory_T5_LeavesSpieceModelUnchanged()
    {
        using var folder = new TemporaryTokenizerFolder().WithShared("t5");

        ModelTokenizer.FromDirectory(folder.Path);

        string md5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(folder.FilePath("spiece.model"))));
        Assert.AreEqual("9d15ef55d09d5a425ceb63fa31f7cae3", md5);
    }

    [TestMethod]
    [DataRow("roberta-base")]
    [DataRow("bert-base-uncased")]
    [DataRow("t5")]
    public void Encode_AfterFilesDeleted_StillWorksBecauseTokenizerIsBuiltOnce(string shared)
    {
        ModelTokenizer tokenizer;
        using (var folder = new TemporaryTokenizerFolder().WithShared(shared))
            tokenizer = ModelTokenizer.FromDirectory(folder.Path);

        IReadOnlyList<int> ids = tokenizer.Encode(SampleText);

        CollectionAssert.AreEqual(SharedTokenizers.ByName(shared).Encode(SampleText).ToArray(), ids.ToArray());
        Assert.AreEqual("hello world", tokenizer.Decode(tokenizer.Encode("hello world")));
    }
}
