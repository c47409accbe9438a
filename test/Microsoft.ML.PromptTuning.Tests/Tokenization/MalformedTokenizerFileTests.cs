using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

/// <summary>Malformed files give an <see cref="InvalidDataException"/> naming the file and the problem.</summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class MalformedTokenizerFileTests
{
    private const string TinyVocabJson = """{"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "a": 4, "b": 5, "ab": 6, "<mask>": 7}""";

    [TestMethod]
    [DataRow("{not json", "vocab.json", "JSON")]
    [DataRow("[1, 2, 3]", "vocab.json", "JSON")]
    [DataRow("{}", "vocab.json", "no tokens")]
    [DataRow("""{"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}""", "vocab.json", "<mask>")]
    [DataRow("""{"<s>": -1}""", "vocab.json", "negative")]
    [DataRow("""{"<s>": 0, "<pad>": 2000000000}""", "vocab.json", "id 2000000000")]
    public void FromDirectory_BadVocabJson_ThrowsInvalidData(string vocab, string file, string problem)
    {
        using var folder = new TemporaryTokenizerFolder().WithFile("vocab.json", vocab).WithFile("merges.txt", "#version: 0.2\na b\n");

        AssertInvalid(folder, file, problem);
    }

    [TestMethod]
    [DataRow("a b\n", "#version")]
    [DataRow("", "#version")]
    [DataRow("#version: 0.2\na b c\n", "line 2")]
    [DataRow("#version: 0.2\n", "no merge rules")]
    public void FromDirectory_BadMerges_ThrowsInvalidData(string merges, string problem)
    {
        using var folder = new TemporaryTokenizerFolder().WithFile("vocab.json", TinyVocabJson).WithFile("merges.txt", merges);

        AssertInvalid(folder, "merges.txt", problem);
    }

    [TestMethod]
    public void FromDirectory_MergeOfTokensOutsideVocabulary_ThrowsInvalidData()
    {
        using var folder = new TemporaryTokenizerFolder().WithFile("vocab.json", TinyVocabJson).WithFile("merges.txt", "#version: 0.2\nx y\n");

        AssertInvalid(folder, "merges.txt", "could not be loaded");
    }

    [TestMethod]
    public void FromDirectory_TinyValidBpeFiles_Loads()
    {
        using var folder = new TemporaryTokenizerFolder().WithFile("vocab.json", TinyVocabJson).WithFile("merges.txt", "#version: 0.2\na b\n");

        ModelTokenizer tokenizer = ModelTokenizer.FromDirectory(folder.Path);

        CollectionAssert.AreEqual(new[] { 0, 6, 2 }, tokenizer.Encode("ab").ToArray());
    }

    [TestMethod]
    [DataRow("text")]
    [DataRow("empty")]
    [DataRow("truncated")]
    [DataRow("random")]
    public void FromDirectory_NotASentencePieceModel_ThrowsInvalidData(string kind)
    {
        byte[] real = File.ReadAllBytes(Path.Combine(SharedData.Tokenizer("t5"), "spiece.model"));
        byte[] content = kind switch
        {
            "text" => "this is not a protobuf file\n"u8.ToArray(),
            "empty" => [],
            "truncated" => real[..1001],   // cuts the tag of a piece
            _ => RandomBytes(4096),
        };
        using var folder = new TemporaryTokenizerFolder().WithFile("spiece.model", content);

        AssertInvalid(folder, "spiece.model", "SentencePiece model");
    }

    [TestMethod]
    public void FromDirectory_SentencePieceWithNulInPiece_ThrowsInvalidData()
    {
        byte[] model = File.ReadAllBytes(Path.Combine(SharedData.Tokenizer("t5"), "spiece.model"));
        // "▁last" becomes "▁l\0st": SentencePiece refuses such a piece, and Microsoft.ML.Tokenizers would fail later, in Encode.
        int piece = model.AsSpan().IndexOf("\u2581last"u8);
        model[piece + 4] = 0;
        using var folder = new TemporaryTokenizerFolder().WithFile("spiece.model", model);

        AssertInvalid(folder, "spiece.model", "containing U+0000");
    }

    [TestMethod]
    [DataRow("", "no tokens")]
    [DataRow("\n\n", "no tokens")]
    [DataRow("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n", "[MASK]")]
    public void FromDirectory_BadVocabTxt_ThrowsInvalidData(string vocab, string problem)
    {
        using var folder = new TemporaryTokenizerFolder().WithFile("vocab.txt", vocab);

        AssertInvalid(folder, "vocab.txt", problem);
    }

    [TestMethod]
    [DataRow("config.json", "{\"model_type\": ", "JSON")]
    [DataRow("tokenizer_config.json", "not json", "JSON")]
    [DataRow("tokenizer_config.json", "[]", "JSON object")]
    [DataRow("tokenizer_config.json", """{"model_max_length": 512, "model_max_length": 7}""", "Duplicate property")]
    public void FromDirectory_BadConfigInAmbiguousFolder_ThrowsInvalidData(string file, string content, string problem)
    {
        using var folder = new TemporaryTokenizerFolder().WithShared("t5").WithShared("bert-base-uncased").WithFile(file, content);

        AssertInvalid(folder, file, problem);
    }

    [TestMethod]
    [DataRow("bert-base-uncased", """{"do_lower_case": "yes"}""", "do_lower_case")]
    [DataRow("bert-base-uncased", """{"strip_accents": 1}""", "strip_accents")]
    [DataRow("t5", """{"extra_ids": -3}""", "extra_ids")]
    [DataRow("t5", """{"extra_ids": 1.5}""", "extra_ids")]
    public void FromDirectory_BadTokenizerSetting_ThrowsInvalidData(string shared, string tokenizerConfig, string problem)
    {
        using var folder = new TemporaryTokenizerFolder().WithShared(shared).WithFile("tokenizer_config.json", tokenizerConfig);

        AssertInvalid(folder, "tokenizer_config.json", problem);
    }

    private static void AssertInvalid(TemporaryTokenizerFolder folder, string file, string problem)
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ModelTokenizer.FromDirectory(folder.Path));
        StringAssert.Contains(error.Message, folder.FilePath(file), error.Message);
        StringAssert.Contains(error.Message, problem, error.Message);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(17).NextBytes(bytes);
        return bytes;
    }
}
