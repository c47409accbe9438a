using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

[TestClass]
public sealed class CorpusSourceTests
{
    [TestMethod]
    public void Constructor_UnknownExtension_ThrowsNamingExtension()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new CorpusSource("/data/books.parquet", "books", "text"));

        StringAssert.Contains(error.Message, ".parquet");
        StringAssert.Contains(error.Message, "/data/books.parquet");
    }

    [TestMethod]
    public void Constructor_TextFileWithFields_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new CorpusSource("/data/a.txt", "wiki", "text"));
    }

    [TestMethod]
    [DataRow("/data/a.jsonl")]
    [DataRow("/data/a.json")]
    [DataRow("/data/a.tsv")]
    [DataRow("/data/a.csv")]
    public void Constructor_StructuredFileWithoutFields_Throws(string path)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new CorpusSource(path, "task"));

        StringAssert.Contains(error.Message, "field");
    }

    [TestMethod]
    public void Constructor_RepeatedField_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new CorpusSource("/data/a.jsonl", "task", "text", "text"));
    }

    [TestMethod]
    public void Equals_SamePathPartAndFields_IsTrue()
    {
        var first = new CorpusSource("/data/a.json", "mnli", "text_a", "text_b");
        var second = new CorpusSource("/data/a.json", "mnli", ["text_a", "text_b"]);

        Assert.AreEqual(first, second);
        Assert.AreEqual(first.GetHashCode(), second.GetHashCode());
        Assert.AreNotEqual(first, new CorpusSource("/data/a.json", "mnli", "text_a"));
    }
}
