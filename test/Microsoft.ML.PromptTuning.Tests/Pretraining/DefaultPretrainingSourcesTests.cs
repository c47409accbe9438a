using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

[TestClass]
public sealed class DefaultPretrainingSourcesTests
{
    private static readonly string[] EvaluationWords = ["dev", "test", "valid", "heldout", "held_out"];

    [TestMethod]
    public void Create_SharedFolder_ListsOnlyExistingTrainingSplitFiles()
    {
        IReadOnlyList<CorpusSource> sources = DefaultPretrainingSources.Create(SharedData.Directory);

        foreach (CorpusSource source in sources)
        {
            Assert.IsTrue(File.Exists(source.Path), $"{source.Path} does not exist.");
            string name = Path.GetFileName(source.Path).ToLowerInvariant();
            Assert.IsFalse(EvaluationWords.Any(name.Contains), $"{source.Path} is an evaluation split.");
            Assert.IsTrue(source.Path.StartsWith(Path.Combine(SharedData.Directory, "corpus")) || name.Contains("train"),
                $"{source.Path} is neither corpus text nor a training split.");
        }
    }

    [TestMethod]
    public void Create_SharedFolder_HasTheSixCorpusFilesAndEveryTasksTrainingSplit()
    {
        IReadOnlyList<CorpusSource> sources = DefaultPretrainingSources.Create(SharedData.Directory);

        Assert.AreEqual(3, sources.Count(source => source.Part == "gutenberg"));
        Assert.AreEqual(3, sources.Count(source => source.Part == "wikipedia"));
        Assert.IsFalse(sources.Any(source => Path.GetFileName(source.Path) is "BOOKS.txt" or "README.md"));
        CollectionAssert.AreEquivalent(
            new[] { "sst2", "rotten_tomatoes", "imdb", "laptop", "restaurant", "tweeteval_sentiment", "mnli", "qnli", "snli", "qqp", "mrpc",
                "ethics_deontology", "ethics_justice" },
            sources.Where(source => source.Part is not ("gutenberg" or "wikipedia")).Select(source => source.Part).ToArray());
    }

    [TestMethod]
    public void Create_SharedFolder_EveryNamedFieldExistsInItsFile()
    {
        foreach (CorpusSource source in DefaultPretrainingSources.Create(SharedData.Directory))
        {
            // Reading the first record checks the header or the first object against the field names.
            TextDocument first = TextDocumentReader.Read(source).First();
            Assert.IsTrue(first.Paragraphs.Any(paragraph => paragraph.Trim().Length > 0), $"{source} starts with an empty document.");
        }
    }

    [TestMethod]
    public void CreateEvaluationExclusions_SharedFolder_ListsEvaluationFilesOnlyAndTheirFieldsExist()
    {
        IReadOnlyList<CorpusSource> training = DefaultPretrainingSources.Create(SharedData.Directory);
        IReadOnlyList<CorpusSource> exclusions = DefaultPretrainingSources.CreateEvaluationExclusions(SharedData.Directory);

        foreach (CorpusSource source in exclusions)
        {
            Assert.IsFalse(training.Any(train => train.Path == source.Path), $"{source.Path} is also a training source.");
            Assert.IsTrue(EvaluationWords.Any(Path.GetFileName(source.Path).ToLowerInvariant().Contains), $"{source.Path} is not an evaluation split.");
            Assert.IsNotNull(TextDocumentReader.Read(source).First());
        }
    }
}
