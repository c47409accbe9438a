namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// The pre-training text of this project under the shared folder: the general corpus (parts <c>gutenberg</c> and
/// <c>wikipedia</c>) and the text of the benchmark tasks' training splits only, each task its own part.
/// </summary>
public static class DefaultPretrainingSources
{
    // (part, file under data/, fields): training splits only. Field names checked against the files' headers.
    private static readonly (string Part, string File, string[] Fields)[] TrainingSplits =
    [
        ("sst2", "sst2/train.tsv", ["sentence"]),
        ("rotten_tomatoes", "rotten_tomatoes/train.tsv", ["text"]),
        ("imdb", "imdb/train.jsonl", ["text"]),
        ("laptop", "laptop/train.jsonl", ["sentence"]),
        ("restaurant", "restaurant/train.jsonl", ["sentence"]),
        ("tweeteval_sentiment", "tweeteval_sentiment/train_reconstructed.jsonl", ["text"]),
        ("mnli", "mnli/train_subset.json", ["text_a", "text_b"]),
        ("qnli", "qnli/train_subset.json", ["text_a", "text_b"]),
        ("snli", "snli/train_subset.json", ["text_a", "text_b"]),
        ("qqp", "qqp/train_subset.json", ["text_a", "text_b"]),
        ("mrpc", "mrpc/train.tsv", ["#1 String", "#2 String"]),
        ("ethics_deontology", "ethics/deontology/deontology_train.csv", ["scenario", "excuse"]),
        ("ethics_justice", "ethics/justice/justice_train.csv", ["scenario"]),
    ];

    // The evaluation splits of the same tasks, for CorpusBuildOptions.ExclusionSources. TweetEval's val/test files hold one
    // tweet per line without blank lines, which the .txt format would read as one document, so they are not listed.
    private static readonly (string Part, string File, string[] Fields)[] EvaluationSplits =
    [
        ("sst2", "sst2/dev.tsv", ["sentence"]),
        ("sst2", "sst2/test_unlabeled.tsv", ["sentence"]),
        ("rotten_tomatoes", "rotten_tomatoes/validation.tsv", ["text"]),
        ("rotten_tomatoes", "rotten_tomatoes/test.tsv", ["text"]),
        ("imdb", "imdb/test.jsonl", ["text"]),
        ("laptop", "laptop/test.jsonl", ["sentence"]),
        ("restaurant", "restaurant/test.jsonl", ["sentence"]),
        ("mnli", "mnli/heldout_subset.json", ["text_a", "text_b"]),
        ("qnli", "qnli/heldout_subset.json", ["text_a", "text_b"]),
        ("qnli", "qnli/dev.tsv", ["question", "sentence"]),
        ("snli", "snli/heldout_subset.json", ["text_a", "text_b"]),
        ("snli", "snli/dev.tsv", ["premise", "hypothesis"]),
        ("snli", "snli/test.tsv", ["premise", "hypothesis"]),
        ("qqp", "qqp/heldout_subset.json", ["text_a", "text_b"]),
        ("mrpc", "mrpc/dev.tsv", ["#1 String", "#2 String"]),
        ("mrpc", "mrpc/test.tsv", ["#1 String", "#2 String"]),
        ("ethics_deontology", "ethics/deontology/deontology_test.csv", ["scenario", "excuse"]),
        ("ethics_deontology", "ethics/deontology/deontology_test_hard.csv", ["scenario", "excuse"]),
        ("ethics_justice", "ethics/justice/justice_test.csv", ["scenario"]),
        ("ethics_justice", "ethics/justice/justice_test_hard.csv", ["scenario"]),
    ];

    /// <summary>
    /// The sources in build order: <c>corpus/gutenberg/gutenberg_*.txt</c>, <c>corpus/wikipedia/enwiki_*.txt</c> (book lists
    /// and READMEs excluded), then the training split of each task.
    /// </summary>
    /// <param name="sharedDirectory">The shared folder holding <c>corpus/</c> and <c>data/</c>.</param>
    /// <exception cref="DirectoryNotFoundException">The shared folder or a corpus folder is missing.</exception>
    /// <exception cref="FileNotFoundException">A corpus part has no text files, or a training split file is missing.</exception>
    public static IReadOnlyList<CorpusSource> Create(string sharedDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sharedDirectory);
        if (!Directory.Exists(sharedDirectory))
            throw new DirectoryNotFoundException($"Shared folder '{sharedDirectory}' does not exist.");
        var sources = new List<CorpusSource>();
        sources.AddRange(CorpusPart(sharedDirectory, "gutenberg", "gutenberg_*.txt"));
        sources.AddRange(CorpusPart(sharedDirectory, "wikipedia", "enwiki_*.txt"));
        sources.AddRange(DataFiles(sharedDirectory, TrainingSplits));
        return sources;
    }

    /// <summary>
    /// The evaluation splits (dev, test, validation, held-out subsets) of the same tasks, to pass as
    /// <see cref="CorpusBuildOptions.ExclusionSources"/> so that no evaluation text enters the corpus through another task's
    /// training split (about 40 % of SST-2 dev sentences occur verbatim in Rotten Tomatoes' training split, and of Rotten
    /// Tomatoes' validation and test sentences in SST-2's).
    /// </summary>
    /// <exception cref="FileNotFoundException">An evaluation split file is missing.</exception>
    public static IReadOnlyList<CorpusSource> CreateEvaluationExclusions(string sharedDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sharedDirectory);
        return DataFiles(sharedDirectory, EvaluationSplits);
    }

    private static IEnumerable<CorpusSource> CorpusPart(string sharedDirectory, string part, string pattern)
    {
        string folder = Path.Combine(sharedDirectory, "corpus", part);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Corpus folder '{folder}' does not exist.");
        string[] files = Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new FileNotFoundException($"Corpus folder '{folder}' holds no {pattern} files.", folder);
        return files.Select(file => new CorpusSource(file, part));
    }

    private static List<CorpusSource> DataFiles(string sharedDirectory, (string Part, string File, string[] Fields)[] splits)
    {
        var sources = new List<CorpusSource>(splits.Length);
        foreach ((string part, string file, string[] fields) in splits)
        {
            string path = Path.Combine(sharedDirectory, "data", file);
            if (!File.Exists(path))
                throw new FileNotFoundException($"Dataset file '{path}' (part '{part}') does not exist.", path);
            sources.Add(new CorpusSource(path, part, fields));
        }
        return sources;
    }
}
