using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Tasks;

/// <summary>
/// A classification task for prompt tuning: its data splits, the template that lays a row out, the verbalizer's label
/// words and the metric. Every split is an <see cref="IDataView"/> with the text columns <see cref="TextAColumn"/>
/// (and <see cref="TextBColumn"/> for sentence pairs) and the text label column <see cref="LabelColumn"/>.
/// The built-in tasks come from <see cref="TaskCatalog"/>; users create their own the same way.
/// </summary>
public sealed class PromptTask
{
    /// <summary>The first text (sentence, premise, question …), bound to the template's <c>{text_a}</c>.</summary>
    public const string TextAColumn = "text_a";

    /// <summary>The second text of pair tasks (hypothesis, aspect …), bound to <c>{text_b}</c>.</summary>
    public const string TextBColumn = "text_b";

    /// <summary>The label, as text (e.g. <c>0</c>, <c>entailment</c>).</summary>
    public const string LabelColumn = "Label";

    private readonly IReadOnlyDictionary<TaskSplit, TaskDataSource> _splits;

    /// <summary>Creates a task.</summary>
    /// <param name="name">Its name (matrix rows and columns, file names).</param>
    /// <param name="category">Its family.</param>
    /// <param name="labelWords">Label → words, in score order.</param>
    /// <param name="splits">The available splits; <see cref="TaskSplit.Train"/> is required.</param>
    /// <param name="hasTextB">Whether rows are text pairs.</param>
    /// <param name="metric">What is reported.</param>
    /// <param name="template">The template with a <c>{soft:N}</c> part; null uses the backbone's default layout with the prompt length asked for.</param>
    /// <exception cref="ArgumentException">An empty name, no training split, or fewer than two labels.</exception>
    public PromptTask(string name, TaskCategory category, LabelWords labelWords, IReadOnlyDictionary<TaskSplit, TaskDataSource> splits,
        bool hasTextB = false, TaskMetric metric = TaskMetric.Accuracy, string? template = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(labelWords);
        ArgumentNullException.ThrowIfNull(splits);
        if (!splits.ContainsKey(TaskSplit.Train))
            throw new ArgumentException($"Task '{name}' has no {TaskSplit.Train} split.", nameof(splits));
        if (labelWords.Count < 2)
            throw new ArgumentException($"Task '{name}' has {labelWords.Count} label(s); a classification task needs at least two.", nameof(labelWords));
        if (template is not null)
            PromptTemplate.Parse(template);
        Name = name;
        Category = category;
        LabelWords = labelWords;
        _splits = splits;
        HasTextB = hasTextB;
        Metric = metric;
        Template = template;
    }

    public string Name { get; }

    public TaskCategory Category { get; }

    /// <summary>Label → words; the order is the score order. F1 (when reported) treats the last label as positive.</summary>
    public LabelWords LabelWords { get; }

    /// <summary>Whether rows are text pairs (<see cref="TextBColumn"/> present).</summary>
    public bool HasTextB { get; }

    public TaskMetric Metric { get; }

    /// <summary>The template, or null for the backbone's default layout.</summary>
    public string? Template { get; }

    /// <summary>The text columns, in placeholder order.</summary>
    public IReadOnlyList<string> TextColumns => HasTextB ? [TextAColumn, TextBColumn] : [TextAColumn];

    /// <summary>The splits this task has.</summary>
    public IReadOnlyCollection<TaskSplit> Splits => _splits.Keys.ToList();

    /// <summary>Whether the task has <paramref name="split"/>.</summary>
    public bool HasSplit(TaskSplit split) => _splits.ContainsKey(split);

    /// <summary>Where <paramref name="split"/> comes from.</summary>
    public string SourceOf(TaskSplit split) => Source(split).Description;

    /// <summary>The rows of <paramref name="split"/> (read once, then shared).</summary>
    /// <exception cref="ArgumentException">The task has no such split; the message lists those it has.</exception>
    public TextTable Load(TaskSplit split) => Source(split).Load();

    /// <summary>The template text for a prompt of <paramref name="promptLength"/> soft tokens on a masked LM or a seq2seq model.</summary>
    public PromptTemplate TemplateFor(int promptLength, bool maskedLanguageModel) =>
        Template is not null ? PromptTemplate.Parse(Template)
        : maskedLanguageModel ? PromptTemplate.MaskedLmDefault(promptLength) : PromptTemplate.Seq2SeqDefault(promptLength);

    public override string ToString() => Name;

    private TaskDataSource Source(TaskSplit split) =>
        _splits.TryGetValue(split, out var source) ? source
        : throw new ArgumentException($"Task '{Name}' has no {split} split; it has {string.Join(", ", _splits.Keys)}.", nameof(split));
}
