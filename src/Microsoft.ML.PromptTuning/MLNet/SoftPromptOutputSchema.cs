using System.Diagnostics;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.Data;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// The columns a soft-prompt transformer adds — <c>PredictedLabel</c> (the label's type), <c>Score</c> (a probability per
/// class, with slot names), for boolean labels <c>Probability</c> (of true) and, when requested, the mask representation (the
/// backbone's final hidden state where the verbalizer reads, <c>hidden</c> wide) — written once for the transformer, its data
/// view and its row mapper.
/// </summary>
internal sealed class SoftPromptOutputSchema
{
    /// <summary>The columns for <paramref name="labels"/> in score order; <paramref name="maskRepresentationColumn"/> null adds no
    /// representation, otherwise one <paramref name="maskRepresentationSize"/> (the backbone's hidden size) wide.</summary>
    public SoftPromptOutputSchema(LabelColumn label, IReadOnlyList<string> labels, string predictedLabelColumn, string scoreColumn, string probabilityColumn,
        string? maskRepresentationColumn = null, int maskRepresentationSize = 0)
    {
        Debug.Assert(maskRepresentationColumn is null || maskRepresentationSize > 0, "a representation column needs the backbone's width");
        Label = label;
        Labels = labels;
        PredictedLabelColumn = predictedLabelColumn;
        ScoreColumn = scoreColumn;
        ProbabilityColumn = label.Kind == LabelKind.Boolean ? probabilityColumn : null;
        MaskRepresentationColumn = maskRepresentationColumn;
        MaskRepresentationSize = maskRepresentationColumn is null ? 0 : maskRepresentationSize;
        // Score column i predicts key _keys[i] (1-based) and, for boolean labels, column _trueIndex is "true".
        _keys = labels.Select(l => (uint)(label.KeyValues.ToList().IndexOf(l) + 1)).ToArray();
        _trueIndex = labels.ToList().IndexOf("true");
    }

    private readonly uint[] _keys;
    private readonly int _trueIndex;

    public LabelColumn Label { get; }
    public IReadOnlyList<string> Labels { get; }
    public string PredictedLabelColumn { get; }
    public string ScoreColumn { get; }
    public string? ProbabilityColumn { get; }
    public string? MaskRepresentationColumn { get; }
    public int MaskRepresentationSize { get; }

    /// <summary>How many columns are added after the input's.</summary>
    public int Count => 2 + (ProbabilityColumn is null ? 0 : 1) + (MaskRepresentationColumn is null ? 0 : 1);

    /// <summary>The input schema followed by the added columns (which hide input columns of the same names).</summary>
    public DataViewSchema Extend(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(PredictedLabelColumn, Label.PredictedLabelType, PredictedLabelAnnotations());
        builder.AddColumn(ScoreColumn, new VectorDataViewType(NumberDataViewType.Single, Labels.Count), ScoreAnnotations());
        if (ProbabilityColumn is not null)
            builder.AddColumn(ProbabilityColumn, NumberDataViewType.Single);
        if (MaskRepresentationColumn is not null)
            builder.AddColumn(MaskRepresentationColumn, new VectorDataViewType(NumberDataViewType.Single, MaskRepresentationSize));
        return builder.ToSchema();
    }

    private DataViewSchema.Annotations? PredictedLabelAnnotations()
    {
        if (Label.Kind != LabelKind.Key)
            return null;
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, Label.KeyValues.Count), Names(Label.KeyValues));
        return annotations.ToAnnotations();
    }

    private DataViewSchema.Annotations ScoreAnnotations()
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, Labels.Count), Names(Labels));
        return annotations.ToAnnotations();
    }

    private static ValueGetter<VBuffer<ReadOnlyMemory<char>>> Names(IReadOnlyList<string> names) =>
        (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Count, names.Select(n => n.AsMemory()).ToArray());

    /// <summary>
    /// A getter of added column <paramref name="offset"/> (0 = predicted label, 1 = score, then the probability and the
    /// representation when present) reading the current row's probabilities from <paramref name="probabilities"/> and its
    /// representation from <paramref name="representation"/>.
    /// </summary>
    public Delegate Getter(int offset, Func<float[]> probabilities, Func<float[]> representation)
    {
        if (MaskRepresentationColumn is not null && offset == Count - 1)
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => value = new VBuffer<float>(MaskRepresentationSize, (float[])representation().Clone()));
        switch (offset)
        {
            case 0 when Label.Kind == LabelKind.Text:
                return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = Labels[PromptClassifier.ArgMax(probabilities())].AsMemory());
            case 0 when Label.Kind == LabelKind.Boolean:
                return (ValueGetter<bool>)((ref bool value) => value = Labels[PromptClassifier.ArgMax(probabilities())] == "true");
            case 0:
                return (ValueGetter<uint>)((ref uint value) => value = _keys[PromptClassifier.ArgMax(probabilities())]);
            case 1:
                return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => value = new VBuffer<float>(Labels.Count, (float[])probabilities().Clone()));
            default:
                return (ValueGetter<float>)((ref float value) => value = probabilities()[_trueIndex]);
        }
    }
}
