using Microsoft.ML.PromptTuning.Prompts;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// A trained prompt ready to score rows: text columns → template → backbone → verbalizer → class probabilities (in label
/// order). Shared by the in-memory transformer, its row mapper and models loaded from zips. Inference only; safe to call
/// from several threads.
/// </summary>
public sealed class SoftPromptPredictor : IDisposable
{
    private readonly Tensor _prompt;

    public SoftPromptPredictor(PromptClassifier classifier, TextColumnBinding binding, Tensor prompt, int batchSize = PromptClassifier.DefaultBatchSize)
    {
        Classifier = classifier;
        Binding = binding;
        BatchSize = batchSize;
        // The scope disposes the intermediate detach/to views, which would otherwise wait for the finalizer.
        using (no_grad())
        using (NewDisposeScope())
            _prompt = prompt.detach().to(ScalarType.Float32, classifier.Backbone.Device).clone().DetachFromDisposeScope();
    }

    public PromptClassifier Classifier { get; }

    public TextColumnBinding Binding { get; }

    public int BatchSize { get; }

    /// <summary>The labels, in score order.</summary>
    public IReadOnlyList<string> Labels => Classifier.Verbalizer.Labels;

    /// <summary>Class probabilities <c>[rows][labels]</c>; each row holds the texts of <see cref="TextColumnBinding.Columns"/>.</summary>
    /// <exception cref="ArgumentException">A row cannot be scored (e.g. its text is empty or missing); the message names the row and column.</exception>
    public float[][] Predict(IReadOnlyList<IReadOnlyList<string?>> rows) => Classifier.Predict(Encode(rows, firstRow: null), _prompt, BatchSize);

    /// <summary>
    /// <see cref="Predict(IReadOnlyList{IReadOnlyList{string}})"/> and, when <paramref name="withRepresentation"/>, each row's
    /// final hidden state where the verbalizer reads <c>[rows][hidden]</c> (see <see cref="PromptClassifier.LabelScoresWithRepresentation"/>),
    /// from the same forward passes; otherwise the representations are null.
    /// </summary>
    public (float[][] Probabilities, float[][]? Representations) Predict(IReadOnlyList<IReadOnlyList<string?>> rows, bool withRepresentation) =>
        Predict(rows, withRepresentation, firstRow: null);

    /// <summary>As <see cref="Predict(IReadOnlyList{IReadOnlyList{string}}, bool)"/>; errors number the rows from <paramref name="firstRow"/> (a data view's position).</summary>
    internal (float[][] Probabilities, float[][]? Representations) Predict(IReadOnlyList<IReadOnlyList<string?>> rows, bool withRepresentation, long? firstRow)
    {
        var encoded = Encode(rows, firstRow);
        return withRepresentation ? Classifier.PredictWithRepresentation(encoded, _prompt, BatchSize) : (Classifier.Predict(encoded, _prompt, BatchSize), null);
    }

    private List<EncodedPrompt> Encode(IReadOnlyList<IReadOnlyList<string?>> rows, long? firstRow)
    {
        var encoded = new List<EncodedPrompt>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            try
            {
                encoded.Add(Classifier.Encoder.Encode(Binding.Row(rows[i])));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{RowName(i, firstRow, rows.Count)} cannot be scored: {Problem(rows[i], e)}", e);
            }
        }
        return encoded;
    }

    private static string RowName(int index, long? firstRow, int count) =>
        firstRow is long first ? $"Row {first + index}" : count == 1 ? "The row" : $"Row {index} of the {count} given";

    // The encoder names the template's placeholder; the user knows the data's column, so name the column of a required
    // placeholder whose text is missing when that is the cause.
    private string Problem(IReadOnlyList<string?> texts, ArgumentException error)
    {
        foreach (var placeholder in Classifier.Encoder.Template.Parts.OfType<PlaceholderPart>().Where(p => !p.IsOptional))
        {
            int c = Binding.ColumnIndexOf(placeholder.Column);
            if (c < 0)
                continue;
            string? text = c < texts.Count ? texts[c] : null;
            if (string.IsNullOrWhiteSpace(text))
                return $"text column '{Binding.Columns[c]}' is {(string.IsNullOrEmpty(text) ? "empty or missing" : "whitespace-only")}, and the template \"{Classifier.Encoder.Template}\" needs its text.";
        }
        return error.Message;
    }

    public void Dispose() => _prompt.Dispose();
}
