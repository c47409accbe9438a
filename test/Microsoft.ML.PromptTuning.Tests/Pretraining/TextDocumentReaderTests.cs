using System.Text;
using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

[TestClass]
public sealed class TextDocumentReaderTests
{
    private TemporaryFolder _folder = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = new TemporaryFolder();

    [TestCleanup]
    public void DeleteFolder() => _folder.Dispose();

    private static string[][] Read(CorpusSource source) =>
        TextDocumentReader.Read(source).Select(document => document.Paragraphs.ToArray()).ToArray();

    [TestMethod]
    public void Read_TextFile_GroupsLinesIntoDocumentsAtBlankLines()
    {
        string path = _folder.Write("a.txt", "\uFEFFFirst para.\r\nSecond para.\n\n\n  \t\nNext doc.\nLast line without newline");

        string[][] documents = Read(new CorpusSource(path, "p"));

        Assert.AreEqual(2, documents.Length);
        CollectionAssert.AreEqual(new[] { "First para.", "Second para." }, documents[0]);
        CollectionAssert.AreEqual(new[] { "Next doc.", "Last line without newline" }, documents[1]);
    }

    [TestMethod]
    public void Read_TextFile_KeepsNextLineCharacterInsideLine()
    {
        string path = _folder.Write("a.txt", "one\u0085two\nthree\n");

        string[][] documents = Read(new CorpusSource(path, "p"));

        CollectionAssert.AreEqual(new[] { "one\u0085two", "three" }, documents.Single());
    }

    [TestMethod]
    public void Read_JsonLines_EachNamedFieldIsADocumentInFieldOrder()
    {
        string path = _folder.Write("a.jsonl",
            "{\"a\": \"x1\", \"b\": \"y1\", \"label\": 0}\n\n{\"b\": \"y2\", \"a\": \"x2\"}\n");

        var documents = TextDocumentReader.Read(new CorpusSource(path, "p", "a", "b")).ToArray();

        CollectionAssert.AreEqual(new[] { "x1", "y1", "x2", "y2" }, documents.Select(d => d.Paragraphs.Single()).ToArray());
        CollectionAssert.AreEqual(new[] { "a", "b", "a", "b" }, documents.Select(d => d.Field).ToArray());
        Assert.AreEqual("line 3", documents[2].Location);
    }

    [TestMethod]
    public void Read_JsonObjectOfRecords_ReadsEntriesInFileOrder()
    {
        string path = _folder.Write("a.json",
            "{\"0\": {\"text_a\": \"p0\", \"text_b\": \"h0\", \"label\": \"entailment\"}, \"1\": {\"text_a\": \"p1\", \"text_b\": \"h1\"}}");

        string[][] documents = Read(new CorpusSource(path, "nli", "text_a", "text_b"));

        CollectionAssert.AreEqual(new[] { "p0", "h0", "p1", "h1" }, documents.Select(d => d.Single()).ToArray());
    }

    [TestMethod]
    public void Read_JsonArrayOfRecords_ReadsElementsInOrder()
    {
        string path = _folder.Write("a.json", "[{\"text\": \"one\"}, {\"text\": null}, {\"text\": \"three\"}]");

        string[][] documents = Read(new CorpusSource(path, "p", "text"));

        CollectionAssert.AreEqual(new[] { "one", "", "three" }, documents.Select(d => d.Single()).ToArray());
    }

    [TestMethod]
    public void Read_Tsv_SplitsAtTabsWithoutQuoting()
    {
        string path = _folder.Write("a.tsv",
            "\uFEFFQuality\t#1 String\t#2 String\n1\tHe said \"the witness\", too.\t\"Half-quoted\n\n0\tplain\tother\n");

        string[][] documents = Read(new CorpusSource(path, "mrpc", "#1 String", "#2 String"));

        CollectionAssert.AreEqual(new[] { "He said \"the witness\", too.", "\"Half-quoted", "plain", "other" },
            documents.Select(d => d.Single()).ToArray());
    }

    [TestMethod]
    public void Read_Csv_HonoursQuotedCommasDoubledQuotesAndLineBreaks()
    {
        string path = _folder.Write("a.csv",
            "label,scenario,excuse\r\n0,\"I ate, then left.\",\"He said \"\"no\"\"\"\r\n1,\"two\r\nlines\",plain 5\" tall\r\n");

        string[][] documents = Read(new CorpusSource(path, "ethics", "scenario", "excuse"));

        CollectionAssert.AreEqual(new[] { "I ate, then left.", "He said \"no\"", "two\nlines", "plain 5\" tall" },
            documents.Select(d => d.Single()).ToArray());
    }

    [TestMethod]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        var source = new CorpusSource(_folder.Combine("absent.jsonl"), "p", "text");

        Assert.ThrowsExactly<FileNotFoundException>(() => TextDocumentReader.Read(source).ToList());
    }

    [TestMethod]
    public void Read_JsonLinesMissingField_NamesFileLineFieldAndFieldsPresent()
    {
        string path = _folder.Write("a.jsonl", "{\"text\": \"ok\"}\n{\"txt\": \"typo\", \"label\": 1}\n");

        var error = Assert.ThrowsExactly<CorpusFormatException>(() => TextDocumentReader.Read(new CorpusSource(path, "p", "text")).ToList());

        Assert.AreEqual(path, error.FilePath);
        Assert.AreEqual(2L, error.LineNumber);
        StringAssert.Contains(error.Message, "'text'");
        StringAssert.Contains(error.Message, "txt, label");
    }

    [TestMethod]
    public void Read_JsonFileMissingField_NamesEntryAndFieldsPresent()
    {
        string path = _folder.Write("a.json", "{\"7\": {\"premise\": \"p\", \"label\": 0}}");

        var error = Assert.ThrowsExactly<CorpusFormatException>(() => TextDocumentReader.Read(new CorpusSource(path, "p", "text_a")).ToList());

        StringAssert.Contains(error.Message, "entry \"7\"");
        StringAssert.Contains(error.Message, "premise, label");
    }

    [TestMethod]
    public void Read_TsvMissingColumn_NamesColumnAndHeader()
    {
        string path = _folder.Write("a.tsv", "sentence\tlabel\nfine\t1\n");

        var error = Assert.ThrowsExactly<CorpusFormatException>(() => TextDocumentReader.Read(new CorpusSource(path, "p", "text")).ToList());

        Assert.AreEqual(path, error.FilePath);
        StringAssert.Contains(error.Message, "'text'");
        StringAssert.Contains(error.Message, "sentence, label");
    }

    [TestMethod]
    public void Read_MalformedJsonLine_NamesFileAndLine()
    {
        string path = _folder.Write("a.jsonl", "{\"text\": \"one\"}\n{\"text\": \"two\"}\n{\"text\": \"three\n");

        var error = Assert.ThrowsExactly<CorpusFormatException>(() => TextDocumentReader.Read(new CorpusSource(path, "p", "text")).ToList());

        Assert.AreEqual(path, error.FilePath);
        Assert.AreEqual(3L, error.LineNumber);
        StringAssert.Contains(error.Message, "line 3");
    }

    [TestMethod]
    public void Read_NonStringField_Throws()
    {
        string path = _folder.Write("a.jsonl", "{\"text\": 42}\n");

        var error = Assert.ThrowsExactly<CorpusFormatException>(() => TextDocumentReader.Read(new CorpusSource(path, "p", "text")).ToList());

        StringAssert.Contains(error.Message, "Number");
    }

    [TestMethod]
    [DataRow("a.txt", "")]
    [DataRow("a.jsonl", "text")]
    [DataRow("a.tsv", "text")]
    public void Read_InvalidUtf8_NamesFileAndLine(string name, string field)
    {
        byte[] head = Encoding.UTF8.GetBytes(name.EndsWith(".tsv") ? "text\n" : name.EndsWith(".jsonl") ? "{\"text\": \"fine\"}\n" : "fine\n");
        byte[] bad = name.EndsWith(".jsonl") ? [.. "{\"text\": \"b"u8, 0xC3, 0x28, .. "d\"}\n"u8] : [(byte)'b', 0xC3, 0x28, (byte)'d', (byte)'\n'];
        string path = _folder.WriteBytes(name, [.. head, .. bad]);
        var source = field.Length == 0 ? new CorpusSource(path, "p") : new CorpusSource(path, "p", field);

        var error = Assert.ThrowsExactly<CorpusFormatException>(() => TextDocumentReader.Read(source).ToList());

        Assert.AreEqual(path, error.FilePath);
        Assert.AreEqual(2L, error.LineNumber);
        StringAssert.Contains(error.Message, "UTF-8");
    }

    [TestMethod]
    public void Read_JsonFileWithInvalidUtf8_NamesLine()
    {
        string path = _folder.WriteBytes("a.json", [.. "{\"0\": {\"text\": \"ok\"},\n\"1\": {\"text\": \"b"u8, 0xFF, .. "\"}}"u8]);

        var error = Assert.ThrowsExactly<CorpusFormatException>(() => TextDocumentReader.Read(new CorpusSource(path, "p", "text")).ToList());

        Assert.AreEqual(2L, error.LineNumber);
        StringAssert.Contains(error.Message, "UTF-8");
    }

    [TestMethod]
    public void Read_RaggedTsvRow_NamesLine()
    {
        string path = _folder.Write("a.tsv", "text\tlabel\nok\t1\nmissing label\n");

        var error = Assert.ThrowsExactly<CorpusFormatException>(() => TextDocumentReader.Read(new CorpusSource(path, "p", "text")).ToList());

        Assert.AreEqual(3L, error.LineNumber);
    }

    [TestMethod]
    public void Read_UnterminatedCsvQuote_NamesStartLine()
    {
        string path = _folder.Write("a.csv", "label,text\n0,ok\n1,\"never closed\nmore\n");

        var error = Assert.ThrowsExactly<CorpusFormatException>(() => TextDocumentReader.Read(new CorpusSource(path, "p", "text")).ToList());

        Assert.AreEqual(3L, error.LineNumber);
        StringAssert.Contains(error.Message, "never closed");
    }
}
