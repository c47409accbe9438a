using Microsoft.ML.PromptTuning.Pretraining;

namespace Microsoft.ML.PromptTuning.Tasks;

/// <summary>
/// How one split of a task is read: a loader returning a <see cref="TextTable"/> with the task's standard columns
/// (<see cref="PromptTask.TextAColumn"/>, optionally <see cref="PromptTask.TextBColumn"/>, and <see cref="PromptTask.LabelColumn"/>).
/// The table is read once, on first use.
/// </summary>
public sealed class TaskDataSource
{
    private readonly Lazy<TextTable> _table;

    /// <summary>A split read by <paramref name="load"/>; <paramref name="description"/> says where it comes from (for errors and reports).</summary>
    public TaskDataSource(string description, Func<TextTable> load)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(load);
        Description = description;
        _table = new Lazy<TextTable>(load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Where the rows come from, e.g. <c>sst2/dev.tsv</c>.</summary>
    public string Description { get; }

    /// <summary>The rows, with the task's standard column names.</summary>
    public TextTable Load() => _table.Value;

    /// <summary>
    /// Columns <paramref name="textA"/>, <paramref name="textB"/> (when given) and <paramref name="label"/> of a data file
    /// (.tsv, .csv, .jsonl or .json, see <see cref="TabularFile"/>; <paramref name="format"/> overrides the extension), renamed
    /// to the standard columns.
    /// </summary>
    public static TaskDataSource File(string path, string textA, string? textB, string label, string? format = null) =>
        new(path, () =>
        {
            string[] columns = textB is null ? [textA, label] : [textA, textB, label];
            return TabularFile.Load(path, columns, format).WithColumnNames(StandardColumns(textB is not null));
        });

    /// <summary>Two line-aligned text files, one text per line and its label on the same line of the other (TweetEval's layout).</summary>
    public static TaskDataSource LinePair(string textPath, string labelPath) =>
        new($"{textPath} + {labelPath}", () =>
        {
            var texts = ReadLines(textPath);
            var labels = ReadLines(labelPath);
            if (texts.Count != labels.Count)
                throw new InvalidDataException($"{textPath} has {texts.Count} lines but {labelPath} has {labels.Count}; they must be line-aligned.");
            return new TextTable(StandardColumns(pair: false), texts.Zip(labels, (t, l) => new string?[] { t, l.Trim() }).ToList());
        });

    /// <summary>
    /// Splits <paramref name="train"/> into (train, validation): a seeded random <c>min(1000, rows / 10)</c> rows become the
    /// validation split, the rest stay for training; the same seed and file always give the same split.
    /// </summary>
    public static (TaskDataSource Train, TaskDataSource Validation) CarveValidation(TaskDataSource train, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(train);
        var carved = new Lazy<(TextTable Train, TextTable Validation)>(() =>
        {
            var all = train.Load();
            int count = Math.Min(1000, all.RowCount / 10);
            var order = Enumerable.Range(0, all.RowCount).ToArray();
            new Random(seed).Shuffle(order);
            var validation = order.Take(count).Order().ToList();
            var rest = order.Skip(count).Order().ToList();
            return (all.Subset(rest), all.Subset(validation));
        });
        return (new TaskDataSource($"{train.Description} (less the carved validation rows)", () => carved.Value.Train),
                new TaskDataSource($"{train.Description} (validation carved with seed {seed})", () => carved.Value.Validation));
    }

    private static string[] StandardColumns(bool pair) =>
        pair ? [PromptTask.TextAColumn, PromptTask.TextBColumn, PromptTask.LabelColumn] : [PromptTask.TextAColumn, PromptTask.LabelColumn];

    private static List<string> ReadLines(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"Data file not found: {path}", path);
        var lines = new List<string>();
        using var reader = Utf8LineReader.Open(path);
        while (reader.TryReadLine(out string? line))
            lines.Add(line);
        // A final newline leaves no empty last row.
        while (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }
}
