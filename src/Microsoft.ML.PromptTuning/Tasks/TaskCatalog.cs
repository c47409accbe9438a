using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Tasks;

/// <summary>
/// The benchmark tasks of Su et al. (2022) as found in a data folder (by default <c>../shared/data</c>), with the paper's
/// categories and label words. Names are case-insensitive and ignore <c>-</c> (<c>SST-2</c> = <c>sst2</c>).
/// </summary>
/// <remarks>
/// <para>Labels and label words (the verbalizer; masked LMs read the word at <c>&lt;mask&gt;</c>, T5 decodes it):</para>
/// <list type="table">
/// <listheader><term>task</term><description>category · text_a / text_b · label → word · splits (train / validation / test)</description></listheader>
/// <item><term>sst2</term><description>sentiment · sentence · 0 → negative, 1 → positive · train less 1,000 carved / 1,000 carved from train / GLUE dev (GLUE test is unlabelled)</description></item>
/// <item><term>rotten_tomatoes</term><description>sentiment · text · 0 → negative, 1 → positive · the standard 8,530 / 1,066 / 1,066</description></item>
/// <item><term>imdb</term><description>sentiment · text · 0 → negative, 1 → positive · train less 1,000 carved / carved / test</description></item>
/// <item><term>laptop, restaurant</term><description>sentiment · sentence / aspect · -1 → negative, 0 → neutral, 1 → positive · train less 10% carved / carved / test</description></item>
/// <item><term>tweeteval_sentiment</term><description>sentiment · text · 0 → negative, 1 → neutral, 2 → positive · reconstructed train / official val / official test</description></item>
/// <item><term>mnli</term><description>NLI · premise / hypothesis · entailment → yes, neutral → maybe, contradiction → no · train subset less carved / carved / held-out subset</description></item>
/// <item><term>qnli</term><description>NLI · question / sentence · entailment → yes, not_entailment → no · train subset / held-out subset / GLUE dev</description></item>
/// <item><term>snli</term><description>NLI · premise / hypothesis · as MNLI · train subset / official dev / official test</description></item>
/// <item><term>deontology</term><description>ethics · scenario / excuse · 0 → wrong, 1 → acceptable · train less 1,000 carved / carved / test</description></item>
/// <item><term>justice</term><description>ethics · scenario · 0 → wrong, 1 → acceptable · train less 1,000 carved / carved / test</description></item>
/// <item><term>qqp</term><description>paraphrase · question 1 / question 2 · 0 → no, 1 → yes · train subset less carved / carved / held-out subset; accuracy and F1</description></item>
/// <item><term>mrpc</term><description>paraphrase · sentence 1 / sentence 2 · 0 → no, 1 → yes · GLUE train / dev / labelled test (msr_paraphrase_test.txt); accuracy and F1</description></item>
/// </list>
/// <para>Carved validation rows are a seeded sample of <c>min(1000, rows / 10)</c> training rows (see
/// <see cref="TaskDataSource.CarveValidation"/>); they are removed from the training split.</para>
/// </remarks>
public sealed class TaskCatalog
{
    /// <summary>The data folder used when none is given: <c>../shared/data</c>, relative to the working directory.</summary>
    public static readonly string DefaultDataDirectory = Path.Combine("..", "shared", "data");

    private readonly Dictionary<string, Func<PromptTask>> _tasks;
    private readonly Dictionary<string, PromptTask> _created = new(StringComparer.Ordinal);

    /// <summary>The catalog over <paramref name="dataDirectory"/> (default <see cref="DefaultDataDirectory"/>); files are read only when a split is loaded.</summary>
    public TaskCatalog(string? dataDirectory = null)
    {
        DataDirectory = Path.GetFullPath(dataDirectory ?? DefaultDataDirectory);
        _tasks = Definitions().ToDictionary(d => d.Name, d => d.Create);
    }

    /// <summary>The folder the tasks are read from.</summary>
    public string DataDirectory { get; }

    /// <summary>The known task names, in the paper's order (sentiment, NLI, ethics, paraphrase).</summary>
    public IReadOnlyList<string> Names => _tasks.Keys.ToList();

    /// <summary>The task called <paramref name="name"/> (the same instance on every call).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known ones.</exception>
    public PromptTask Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Normalize(name);
        lock (_created)
        {
            if (_created.TryGetValue(key, out var task))
                return task;
            if (!_tasks.TryGetValue(key, out var create))
                throw new ArgumentException($"Unknown task '{name}'; the known tasks are {string.Join(", ", Names)}.", nameof(name));
            return _created[key] = create();
        }
    }

    /// <summary>The tasks called <paramref name="names"/>, in that order.</summary>
    public IReadOnlyList<PromptTask> Get(IEnumerable<string> names) => names.Select(Get).ToList();

    private static string Normalize(string name) => name.Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal);

    private string PathOf(params string[] parts) => Path.Combine([DataDirectory, .. parts]);

    private IEnumerable<(string Name, Func<PromptTask> Create)> Definitions()
    {
        var binarySentiment = LabelWords.SentimentBinary();
        var aspectSentiment = LabelWords.SentimentThreeWay("-1", "0", "1");
        yield return ("sst2", () => Carved("sst2", TaskCategory.Sentiment, binarySentiment, File("sst2", "train.tsv", "sentence", null, "label"),
            test: File("sst2", "dev.tsv", "sentence", null, "label")));
        yield return ("rotten_tomatoes", () => Official("rotten_tomatoes", TaskCategory.Sentiment, binarySentiment,
            File("rotten_tomatoes", "train.tsv", "text", null, "label"), File("rotten_tomatoes", "validation.tsv", "text", null, "label"),
            File("rotten_tomatoes", "test.tsv", "text", null, "label")));
        yield return ("imdb", () => Carved("imdb", TaskCategory.Sentiment, binarySentiment, File("imdb", "train.jsonl", "text", null, "label"),
            test: File("imdb", "test.jsonl", "text", null, "label")));
        foreach (string aspect in new[] { "laptop", "restaurant" })
            yield return (aspect, () => Carved(aspect, TaskCategory.Sentiment, aspectSentiment, File(aspect, "train.jsonl", "sentence", "aspect", "polarity"),
                test: File(aspect, "test.jsonl", "sentence", "aspect", "polarity"), hasTextB: true));
        yield return ("tweeteval_sentiment", () => Official("tweeteval_sentiment", TaskCategory.Sentiment, LabelWords.SentimentThreeWay(),
            File("tweeteval_sentiment", "train_reconstructed.jsonl", "text", null, "label"),
            TaskDataSource.LinePair(PathOf("tweeteval_sentiment", "val_text.txt"), PathOf("tweeteval_sentiment", "val_labels.txt")),
            TaskDataSource.LinePair(PathOf("tweeteval_sentiment", "test_text.txt"), PathOf("tweeteval_sentiment", "test_labels.txt"))));

        yield return ("mnli", () => Carved("mnli", TaskCategory.NaturalLanguageInference, LabelWords.NliThreeWay(), Subset("mnli", "train_subset.json"),
            test: Subset("mnli", "heldout_subset.json"), hasTextB: true));
        yield return ("qnli", () => Official("qnli", TaskCategory.NaturalLanguageInference, LabelWords.NliTwoWay(), Subset("qnli", "train_subset.json"),
            Subset("qnli", "heldout_subset.json"), File("qnli", "dev.tsv", "question", "sentence", "label"), hasTextB: true));
        yield return ("snli", () => Official("snli", TaskCategory.NaturalLanguageInference, LabelWords.NliThreeWay(), Subset("snli", "train_subset.json"),
            File("snli", "dev.tsv", "premise", "hypothesis", "label"), File("snli", "test.tsv", "premise", "hypothesis", "label"), hasTextB: true));

        yield return ("deontology", () => Carved("deontology", TaskCategory.Ethics, LabelWords.Ethics(),
            File("ethics/deontology", "deontology_train.csv", "scenario", "excuse", "label"),
            test: File("ethics/deontology", "deontology_test.csv", "scenario", "excuse", "label"), hasTextB: true));
        yield return ("justice", () => Carved("justice", TaskCategory.Ethics, LabelWords.Ethics(),
            File("ethics/justice", "justice_train.csv", "scenario", null, "label"), test: File("ethics/justice", "justice_test.csv", "scenario", null, "label")));

        yield return ("qqp", () => Carved("qqp", TaskCategory.Paraphrase, LabelWords.Paraphrase(), Subset("qqp", "train_subset.json"),
            test: Subset("qqp", "heldout_subset.json"), hasTextB: true, metric: TaskMetric.AccuracyAndF1));
        yield return ("mrpc", () => Official("mrpc", TaskCategory.Paraphrase, LabelWords.Paraphrase(),
            File("mrpc", "train.tsv", "#1 String", "#2 String", "Quality"), File("mrpc", "dev.tsv", "#1 String", "#2 String", "Quality"),
            File("mrpc", "msr_paraphrase_test.txt", "#1 String", "#2 String", "Quality", ".tsv"), hasTextB: true, metric: TaskMetric.AccuracyAndF1));
    }

    // msr_paraphrase_test.txt is GLUE's tab-separated layout under a .txt name, hence the explicit format.
    private TaskDataSource File(string folder, string file, string textA, string? textB, string label, string? format = null) =>
        TaskDataSource.File(PathOf(folder, file), textA, textB, label, format);

    /// <summary>The <c>{id: {text_a, text_b, label}}</c> subsets of MNLI, QNLI, SNLI and QQP.</summary>
    private TaskDataSource Subset(string folder, string file) => File(folder, file, "text_a", "text_b", "label");

    private static PromptTask Official(string name, TaskCategory category, LabelWords words, TaskDataSource train, TaskDataSource validation, TaskDataSource test,
        bool hasTextB = false, TaskMetric metric = TaskMetric.Accuracy) =>
        new(name, category, words, new Dictionary<TaskSplit, TaskDataSource> { [TaskSplit.Train] = train, [TaskSplit.Validation] = validation, [TaskSplit.Test] = test },
            hasTextB, metric);

    private static PromptTask Carved(string name, TaskCategory category, LabelWords words, TaskDataSource train, TaskDataSource test,
        bool hasTextB = false, TaskMetric metric = TaskMetric.Accuracy)
    {
        var (rest, validation) = TaskDataSource.CarveValidation(train);
        return Official(name, category, words, rest, validation, test, hasTextB, metric);
    }
}
