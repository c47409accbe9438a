using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Tasks;

namespace Microsoft.ML.PromptTuning.Tests.Tasks;

[TestClass]
public sealed class TabularFileTests
{
    [TestMethod]
    public void Load_Sst2Tsv_ReadsRequestedColumnsOfEveryRow()
    {
        var table = TabularFile.Load(Path.Combine(SharedData.Data("sst2"), "dev.tsv"), ["sentence", "label"]);
        Assert.AreEqual(872, table.RowCount);
        var labels = table.GetColumn<string>("label").ToArray();
        CollectionAssert.AreEquivalent(new[] { "0", "1" }, labels.Distinct().ToArray());
    }

    [TestMethod]
    public void Load_MnliJsonObjectOfObjects_ReadsFields()
    {
        var table = TabularFile.Load(Path.Combine(SharedData.Data("mnli"), "heldout_subset.json"), ["text_a", "text_b", "label"]);
        Assert.AreEqual(1000, table.RowCount);
        Assert.IsTrue(table.GetColumn<string>("text_b").All(t => t.Length > 0));
    }

    [TestMethod]
    [DataRow("data.csv", "text,label\n\"a, quoted \"\"one\"\"\",1\nplain,0\n", "a, quoted \"one\"")]
    [DataRow("data.jsonl", "{\"text\": \"first\", \"label\": 1}\n\n{\"text\": \"second\", \"label\": 0}\n", "first")]
    [DataRow("data.json", "[{\"text\": \"first\", \"label\": \"1\"}, {\"text\": \"b\", \"label\": \"0\"}]", "first")]
    public void Load_Formats_ParseQuotingAndTypes(string name, string content, string firstText)
    {
        string folder = Directory.CreateTempSubdirectory("tabular-").FullName;
        try
        {
            string path = Path.Combine(folder, name);
            File.WriteAllText(path, content);
            var table = TabularFile.Load(path, ["text", "label"]);
            Assert.AreEqual(2, table.RowCount);
            Assert.AreEqual(firstText, table.GetColumn<string>("text").First());
            Assert.AreEqual("1", table.GetColumn<string>("label").First());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [DataRow("data.tsv", "text\tlabel\nfine\t1\n", "review", "column 'review' not found")]
    [DataRow("data.jsonl", "{\"text\": \"x\", \"label\": 1}\n{broken\n", "text", "line 2 is not valid JSON")]
    [DataRow("data.xml", "<a/>", "text", "unsupported extension")]
    [DataRow("data.tsv", "", "text", "empty")]
    [TestCategory("Reliability")]
    public void Load_BadFiles_ThrowNamingFileAndProblem(string name, string content, string column, string expected)
    {
        string folder = Directory.CreateTempSubdirectory("tabular-").FullName;
        try
        {
            string path = Path.Combine(folder, name);
            File.WriteAllText(path, content);
            var error = Assert.Throws<Exception>(() => TabularFile.Load(path, [column]));
            StringAssert.Contains(error.Message, expected);
            StringAssert.Contains(error.Message, path);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.ThrowsExactly<FileNotFoundException>(() => TabularFile.Load("/no/such/file.tsv", ["text"]));
    }

    [TestMethod]
    [DataRow("data.tsv", "text\tlabel\ncaf\u00e9 cr\u00e8me\t1\n", "line 2: the line is not valid UTF-8")]
    [DataRow("data.csv", "text,label\nfine,0\ncaf\u00e9,1\n", "line 3: the line is not valid UTF-8")]
    [DataRow("data.jsonl", "{\"text\": \"caf\u00e9\", \"label\": 1}\n", "line 1: the line is not valid UTF-8")]
    [DataRow("data.json", "[{\"text\": \"caf\u00e9\", \"label\": \"1\"}]", "not valid UTF-8 (at byte 14); save the file as UTF-8.")]
    [TestCategory("Reliability")]
    public void Load_Latin1File_ThrowsNamingFileLineAndEncoding(string name, string content, string expected)
    {
        string folder = Directory.CreateTempSubdirectory("tabular-").FullName;
        try
        {
            string path = Path.Combine(folder, name);
            File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(content));   // é as the single byte 0xE9

            var error = Assert.Throws<Exception>(() => TabularFile.Load(path, ["text", "label"]));

            Assert.IsTrue(error is CorpusFormatException or InvalidDataException, error.ToString());
            StringAssert.Contains(error.Message, path);
            StringAssert.Contains(error.Message, expected);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_HeaderOnlyAndNullCells_GiveNoRowsAndEmptyCells()
    {
        string folder = Directory.CreateTempSubdirectory("tabular-").FullName;
        try
        {
            string headerOnly = Path.Combine(folder, "empty.tsv"), nulls = Path.Combine(folder, "nulls.jsonl");
            File.WriteAllText(headerOnly, "text\tlabel\n");
            File.WriteAllText(nulls, "{\"text\": null, \"label\": null}\n");

            Assert.AreEqual(0, TabularFile.Load(headerOnly, ["text", "label"]).RowCount, "the estimator then says the data has no rows");
            var table = TabularFile.Load(nulls, ["text", "label"]);
            Assert.AreEqual("", table.GetColumn<string>("text").Single(), "null cells read as empty text, which training rejects by row");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
