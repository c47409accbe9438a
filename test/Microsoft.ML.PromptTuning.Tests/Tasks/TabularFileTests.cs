using Microsoft.ML.Data;
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
}
