using Microsoft.ML.PromptTuning.MLNet.Persistence;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// What the estimators that end in a soft-prompt classifier share: the input and label columns, the verbalizer's words,
/// validation rows, the output columns, progress and cancellation.
/// </summary>
public abstract class TextClassifierOptions
{
    private protected TextClassifierOptions()
    {
    }

    /// <summary>Input text columns, bound to the template's placeholders by name or else by position.</summary>
    public IList<string> TextColumnNames { get; set; } = new List<string> { "Text" };

    /// <summary>The label column: text, boolean or key.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Label → words; null uses the words the estimator documents (at least each label's own text).</summary>
    public LabelWords? LabelWords { get; set; }

    public MultiTokenHandling MultiTokenHandling { get; set; } = MultiTokenHandling.First;

    /// <summary>Rows scored every <see cref="SoftPromptTrainerOptions.EvaluateEverySteps"/> steps (accuracy); the best parameters are kept.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Maximum input length; null uses the backbone's.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Rows per forward pass when scoring.</summary>
    public int InferenceBatchSize { get; set; } = PromptClassifier.DefaultBatchSize;

    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>For boolean labels: the column holding P(true), for <c>BinaryClassification.Evaluate</c>.</summary>
    public string ProbabilityColumnName { get; set; } = "Probability";

    /// <summary>
    /// A column to add holding each row's mask representation, a <c>Vector&lt;Single&gt;</c> of the backbone's hidden size: the
    /// last encoder layer at <c>{mask}</c> before the LM head (masked LMs), or the decoder's state at its first step (T5), from
    /// the forward pass that computes the scores. Null (the default) adds none.
    /// </summary>
    public string? MaskRepresentationColumnName { get; set; }

    /// <summary>Optional listener of training progress (ML.NET's log also receives every evaluation).</summary>
    public IProgress<SoftPromptTrainingProgress>? Progress { get; set; }

    /// <summary>Stops training (after the current step; a checkpoint is written when a folder is set).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Checks the shared values; messages name the option at fault.</summary>
    private protected void ValidateColumns()
    {
        string options = GetType().Name;
        if (TextColumnNames is null || TextColumnNames.Count == 0 || TextColumnNames.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"{options}.TextColumnNames must list at least one column.", nameof(TextColumnNames));
        if (string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException($"{options}.LabelColumnName is empty.", nameof(LabelColumnName));
        if (InferenceBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InferenceBatchSize), InferenceBatchSize, "InferenceBatchSize must be positive.");
        if (MaxLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be positive.");
        ValidateMaskRepresentationColumn(options);
    }

    /// <summary>The representation column, when set, must be a name of its own: no other output's, the label's or a text column's.</summary>
    private void ValidateMaskRepresentationColumn(string options)
    {
        if (MaskRepresentationColumnName is not { } representation)
            return;
        if (string.IsNullOrWhiteSpace(representation))
            throw new ArgumentException($"{options}.MaskRepresentationColumnName is empty; leave it null for no representation column.", nameof(MaskRepresentationColumnName));
        var taken = new (string Option, string Column)[]
        {
            (nameof(PredictedLabelColumnName), PredictedLabelColumnName), (nameof(ScoreColumnName), ScoreColumnName),
            (nameof(ProbabilityColumnName), ProbabilityColumnName), (nameof(LabelColumnName), LabelColumnName),
        }.Concat(TextColumnNames.Select(c => (Option: nameof(TextColumnNames), Column: c)));
        foreach (var (option, column) in taken)
            if (string.Equals(column, representation, StringComparison.Ordinal))
                throw new ArgumentException(
                    $"{options}.MaskRepresentationColumnName '{representation}' is already used by {options}.{option}; give the representation a column of its own.",
                    nameof(MaskRepresentationColumnName));
        // A saved model's scorer writes its outputs under fixed names and then renames them one at a time: the representation
        // may not take another output's scorer name, nor another output the representation's.
        string[] scorerNames = [PersistenceColumns.PredictedLabel, PersistenceColumns.Score, PersistenceColumns.Probability];
        bool swapped = scorerNames.Contains(representation) || representation != PersistenceColumns.MaskRepresentation
            && new[] { PredictedLabelColumnName, ScoreColumnName, ProbabilityColumnName }.Contains(PersistenceColumns.MaskRepresentation);
        if (swapped)
            throw new ArgumentException(
                $"{options}.MaskRepresentationColumnName '{representation}' would swap names with another output in a saved model, whose scorer writes " +
                $"{string.Join(", ", scorerNames)} and {PersistenceColumns.MaskRepresentation} before renaming them; choose other names.",
                nameof(MaskRepresentationColumnName));
    }

    /// <summary>The output columns these options name, for <paramref name="labels"/> in score order on a backbone of width <paramref name="hiddenSize"/>.</summary>
    internal SoftPromptOutputSchema OutputSchema(LabelColumn label, IReadOnlyList<string> labels, int hiddenSize) =>
        new(label, labels, PredictedLabelColumnName, ScoreColumnName, ProbabilityColumnName, MaskRepresentationColumnName, hiddenSize);
}
