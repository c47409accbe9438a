using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;

namespace Microsoft.ML.PromptTuning.Tests.Tasks;

/// <summary>Every catalog task over ../shared/data: split sizes, labels known to the verbalizer, columns, carving and name errors.</summary>
[TestClass]
public sealed class TaskCatalogTests
{
    private static readonly TaskCatalog Catalog = new(SharedData.Data(""));

    [TestMethod]
    [DataRow("sst2", 66349, 1000, 872, TaskCategory.Sentiment, false)]
    [DataRow("rotten_tomatoes", 8530, 1066, 1066, TaskCategory.Sentiment, false)]
    [DataRow("imdb", 24000, 1000, 25000, TaskCategory.Sentiment, false)]
    [DataRow("laptop", 2096, 232, 638, TaskCategory.Sentiment, true)]
    [DataRow("restaurant", 3248, 360, 1120, TaskCategory.Sentiment, true)]
    [DataRow("tweeteval_sentiment", 45600, 2000, 12284, TaskCategory.Sentiment, false)]
    [DataRow("mnli", 8100, 899, 1000, TaskCategory.NaturalLanguageInference, true)]
    [DataRow("qnli", 8999, 1000, 5463, TaskCategory.NaturalLanguageInference, true)]
    [DataRow("snli", 8999, 9842, 9824, TaskCategory.NaturalLanguageInference, true)]
    [DataRow("deontology", 17164, 1000, 3596, TaskCategory.Ethics, true)]
    [DataRow("justice", 20791, 1000, 2704, TaskCategory.Ethics, false)]
    [DataRow("qqp", 8100, 899, 1000, TaskCategory.Paraphrase, true)]
    [DataRow("mrpc", 3668, 408, 1725, TaskCategory.Paraphrase, true)]
    public void Load_EverySplit_HasTheExpectedRowsAndOnlyKnownLabels(string name, int train, int validation, int test, TaskCategory category, bool pair)
    {
        var task = Catalog.Get(name);
        Assert.AreEqual(category, task.Category);
        Assert.AreEqual(pair, task.HasTextB);
        var expected = new Dictionary<TaskSplit, int> { [TaskSplit.Train] = train, [TaskSplit.Validation] = validation, [TaskSplit.Test] = test };
        foreach (var (split, rows) in expected)
        {
            var table = task.Load(split);
            Assert.AreEqual(rows, table.RowCount, $"{name} {split}");
            CollectionAssert.AreEqual(task.TextColumns.Append(PromptTask.LabelColumn).ToList(), table.Schema.Select(c => c.Name).ToList());
            var labels = table.GetColumn<ReadOnlyMemory<char>>(PromptTask.LabelColumn).Select(l => l.ToString()).ToHashSet();
            Assert.IsTrue(labels.IsSubsetOf(task.LabelWords.Labels), $"{name} {split}: labels {string.Join(",", labels)} vs words {string.Join(",", task.LabelWords.Labels)}");
            if (split == TaskSplit.Train)
                Assert.AreEqual(task.LabelWords.Count, labels.Count, $"{name}: every label occurs in training");
            Assert.IsTrue(table.GetColumn<ReadOnlyMemory<char>>(PromptTask.TextAColumn).All(t => t.Length > 0), $"{name} {split}: empty text_a");
        }
    }

    [TestMethod]
    public void CarvedValidation_IsDeterministicAndDisjointFromTraining()
    {
        var first = new TaskCatalog(SharedData.Data("")).Get("laptop");
        var second = new TaskCatalog(SharedData.Data("")).Get("laptop");
        string Rows(TextTable table) => string.Join("\n", table.GetColumn<ReadOnlyMemory<char>>(PromptTask.TextAColumn).Zip(
            table.GetColumn<ReadOnlyMemory<char>>(PromptTask.TextBColumn), (a, b) => $"{a}|{b}"));
        Assert.AreEqual(Rows(first.Load(TaskSplit.Validation)), Rows(second.Load(TaskSplit.Validation)));
        // Train and validation together are the file's rows, each once (compared as multisets: the file repeats a few rows).
        var file = TabularFile.Load(Path.Combine(SharedData.Data("laptop"), "train.jsonl"), ["sentence", "aspect", "polarity"]);
        var whole = Rows(file.WithColumnNames([PromptTask.TextAColumn, PromptTask.TextBColumn, PromptTask.LabelColumn])).Split('\n').Order();
        var parts = Rows(first.Load(TaskSplit.Train)).Split('\n').Concat(Rows(first.Load(TaskSplit.Validation)).Split('\n')).Order();
        CollectionAssert.AreEqual(whole.ToList(), parts.ToList());
        Assert.AreEqual(file.RowCount / 10, first.Load(TaskSplit.Validation).RowCount);
    }

    [TestMethod]
    public void LabelWords_FollowThePaper()
    {
        Assert.AreEqual("positive", Catalog.Get("SST-2").LabelWords["1"][0]);
        Assert.AreEqual("neutral", Catalog.Get("restaurant").LabelWords["0"][0]);
        Assert.AreEqual("maybe", Catalog.Get("mnli").LabelWords["neutral"][0]);
        Assert.AreEqual("no", Catalog.Get("qnli").LabelWords["not_entailment"][0]);
        Assert.AreEqual("yes", Catalog.Get("mrpc").LabelWords["1"][0]);
        Assert.AreEqual(TaskMetric.AccuracyAndF1, Catalog.Get("qqp").Metric);
        Assert.AreEqual(TaskMetric.Accuracy, Catalog.Get("justice").Metric);
        Assert.AreSame(Catalog.Get("sst2"), Catalog.Get("SST-2"));
    }

    [TestMethod]
    public void Get_UnknownName_ListsTheKnownTasks()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Catalog.Get("cola"));
        StringAssert.Contains(error.Message, "Unknown task 'cola'");
        StringAssert.Contains(error.Message, "sst2");
        StringAssert.Contains(error.Message, "mrpc");
    }

    [TestMethod]
    public void Load_MissingSplit_NamesTheSplitsThereAre()
    {
        var task = new PromptTask("mine", TaskCategory.Other, LabelWords.SentimentBinary(),
            new Dictionary<TaskSplit, TaskDataSource> { [TaskSplit.Train] = TaskDataSource.File(Path.Combine(SharedData.Data("sst2"), "dev.tsv"), "sentence", null, "label") });
        Assert.AreEqual(872, task.Load(TaskSplit.Train).RowCount);
        var error = Assert.ThrowsExactly<ArgumentException>(() => task.Load(TaskSplit.Validation));
        StringAssert.Contains(error.Message, "no Validation split; it has Train");
    }

    [TestMethod]
    public void TaskScore_CountsAccuracyAndPositiveF1()
    {
        // gold 1,1,0,0,1 ; predicted 1,0,0,1,1 → 3 correct; TP 2, predicted positive 3, gold positive 3 → F1 4/6.
        var score = TaskScore.Compute([1, 0, 0, 1, 1], [1, 1, 0, 0, 1], TaskMetric.AccuracyAndF1);
        Assert.AreEqual(0.6, score.Accuracy, 1e-12);
        Assert.AreEqual(4.0 / 6, score.F1!.Value, 1e-12);
        Assert.IsNull(TaskScore.Compute([1], [1], TaskMetric.Accuracy).F1);
    }
}
