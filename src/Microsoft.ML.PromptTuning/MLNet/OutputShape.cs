using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet.Persistence;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Schema propagation for <see cref="SoftPromptEstimator"/>: checks the input columns and adds the output columns. ML.NET
/// does not let external code build <see cref="SchemaShape"/> columns, so the shape comes from a never-run
/// <c>CustomMapping</c> estimator whose output schema definition describes the added columns.
/// </summary>
internal static class OutputShape
{
    /// <summary>The input shape plus the predicted label (the label's type), the score (<paramref name="labelCount"/> wide when
    /// known) and, for boolean labels, the probability column, named as <paramref name="options"/> say.</summary>
    public static SchemaShape Of(MLContext context, SchemaShape input, TextClassifierOptions options, int labelCount)
    {
        IEnumerable<string> textColumns = options.TextColumnNames;
        string labelColumn = options.LabelColumnName, predictedLabelColumn = options.PredictedLabelColumnName;
        string scoreColumn = options.ScoreColumnName, probabilityColumn = options.ProbabilityColumnName;
        var columns = input.ToDictionary(c => c.Name, c => c);
        foreach (string name in textColumns)
            if (!columns.TryGetValue(name, out var column) || column.ItemType is not TextDataViewType || column.Kind != SchemaShape.Column.VectorKind.Scalar)
                throw new ArgumentException($"Text column '{name}' is missing or not a text scalar column.");
        if (!columns.TryGetValue(labelColumn, out var label))
            throw new ArgumentException($"Label column '{labelColumn}' not found.");
        bool boolean = label.ItemType is BooleanDataViewType;
        var definition = boolean ? SchemaDefinition.Create(typeof(BooleanLabelPrediction)) : SchemaDefinition.Create(typeof(TextLabelPrediction));
        definition[PersistenceColumns.Score].ColumnType = new VectorDataViewType(NumberDataViewType.Single, boolean ? 2 : labelCount);
        definition[PersistenceColumns.Score].ColumnName = scoreColumn;
        definition[PersistenceColumns.PredictedLabel].ColumnName = predictedLabelColumn;
        if (boolean)
            definition[PersistenceColumns.Probability].ColumnName = probabilityColumn;
        var shape = boolean
            ? context.Transforms.CustomMapping<NoColumns, BooleanLabelPrediction>((_, _) => { }, null, outputSchemaDefinition: definition).GetOutputSchema(input)
            : context.Transforms.CustomMapping<NoColumns, TextLabelPrediction>((_, _) => { }, null, outputSchemaDefinition: definition).GetOutputSchema(input);
        if (!label.IsKey)
            return shape;
        // Key labels predict keys: the predicted column mirrors the label column's shape.
        var kept = shape.Where(c => c.Name != predictedLabelColumn).ToList();
        return new SchemaShape(kept.Append(WithName(context, label, predictedLabelColumn, input)));
    }

    private static SchemaShape.Column WithName(MLContext context, SchemaShape.Column column, string name, SchemaShape input) =>
        column.Name == name ? column : context.Transforms.CopyColumns(name, column.Name).GetOutputSchema(input).First(c => c.Name == name);

    /// <summary>A row type with no columns: the shape-only mapping reads nothing.</summary>
    public sealed class NoColumns
    {
    }
}
