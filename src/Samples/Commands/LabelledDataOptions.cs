using System.CommandLine;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary>
/// The data options that <c>train</c> and <c>sweep</c> share: a labelled TSV/CSV/JSONL/JSON file, its columns, label words,
/// and a seeded split of validation rows off the training rows.
/// </summary>
internal sealed class LabelledDataOptions
{
    /// <summary>The options; <paramref name="required"/> false where a command offers another data source (e.g. catalog tasks).</summary>
    public LabelledDataOptions(bool required = true)
    {
        Train = new("--train") { Description = "Training data (.tsv, .csv, .jsonl or .json).", Required = required };
        TextColumns = new("--text-columns") { Description = "Text columns bound to the template's placeholders.", Required = required, AllowMultipleArgumentsPerToken = true };
    }

    public Option<FileInfo> Train { get; }
    public Option<string[]> TextColumns { get; }
    public Option<string> LabelColumn { get; } = new("--label-column") { Description = "Label column.", DefaultValueFactory = _ => "label" };
    public Option<string?> LabelWords { get; } = new("--label-words") { Description = "Label words, e.g. \"0=negative,1=positive\" (several words: 1=great|good)." };
    public Option<int> ValidationRows { get; } = new("--validation-rows") { Description = "Training rows held out for validation.", DefaultValueFactory = _ => 500 };
    public Option<int?> MaxTrainRows { get; } = new("--max-train-rows") { Description = "Use at most this many training rows (a seeded sample)." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of sampling, initialisation and batch order.", DefaultValueFactory = _ => 42 };

    public IEnumerable<Option> All => [Train, TextColumns, LabelColumn, LabelWords, ValidationRows, MaxTrainRows, Seed];

    /// <summary>The training and validation rows: a seeded shuffle, validation first (at most a fifth of the file), then training.</summary>
    public (TextTable Training, TextTable Validation) Load(ParseResult parse)
    {
        var columns = TextColumnNames(parse);
        var all = TabularFile.Load(parse.GetValue(Train)!.FullName, columns.Append(parse.GetValue(LabelColumn)!).ToList());
        var order = Enumerable.Range(0, all.RowCount).ToArray();
        new Random(parse.GetValue(Seed)).Shuffle(order);
        int validationCount = Math.Min(parse.GetValue(ValidationRows), all.RowCount / 5);
        int trainCount = Math.Min(parse.GetValue(MaxTrainRows) ?? int.MaxValue, all.RowCount - validationCount);
        return (all.Subset(order.Skip(validationCount).Take(trainCount)), all.Subset(order.Take(validationCount)));
    }

    public List<string> TextColumnNames(ParseResult parse) => parse.GetValue(TextColumns)!.ToList();

    /// <summary>"0=negative,1=positive" or "0=bad|awful,1=good|great" → label words; null when the option is absent.</summary>
    public LabelWords? ParseLabelWords(ParseResult parse) => ParseLabelWords(parse.GetValue(LabelWords));

    /// <summary>"0=negative,1=positive" or "0=bad|awful,1=good|great" → label words; null for no text.</summary>
    public static LabelWords? ParseLabelWords(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var pairs = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(pair =>
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
                throw new ArgumentException($"--label-words: '{pair}' is not label=word.");
            return new KeyValuePair<string, IReadOnlyList<string>>(pair[..equals].Trim(), pair[(equals + 1)..].Split('|', StringSplitOptions.TrimEntries));
        });
        return new Prompts.LabelWords(pairs);
    }
}
