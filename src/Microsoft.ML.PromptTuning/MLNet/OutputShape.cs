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
    /// known), for boolean labels the probability column and, when requested, the mask representation (a fixed-size vector),
    /// named as <paramref name="options"/> say.</summary>
    public static SchemaShape Of(MLContext context, SchemaShape input, TextClassifierOptions options, int labelCount)
    {
        IEnumerable<string> textColumns = options.TextColumnNames;
        string labelColumn = options.LabelColumnName, predictedLabelColumn = options.PredictedLabelColumnName;
        var columns = input.ToDictionary(c => c.Name, c => c);
        foreach (string name in textColumns)
            if (!columns.TryGetValue(name, out var column) || column.ItemType is not TextDataViewType || column.Kind != SchemaShape.Column.VectorKind.Scalar)
                throw new ArgumentException($"Text column '{name}' is missing or not a text scalar column.");
        if (!columns.TryGetValue(labelColumn, out var label))
            throw new ArgumentException($"Label column '{labelColumn}' not found.");
        bool boolean = label.ItemType is BooleanDataViewType;
        var shape = (boolean, options.MaskRepresentationColumnName is not null) switch
        {
            (false, false) => Added<TextLabelPrediction>(context, input, options, labelCount),
            (true, false) => Added<BooleanLabelPrediction>(context, input, options, 2),
            (false, true) => Added<TextLabelPredictionWithRepresentation>(context, input, options, labelCount),
            (true, true) => Added<BooleanLabelPredictionWithRepresentation>(context, input, options, 2),
        };
        if (!label.IsKey)
            return shape;
        // Key labels predict keys: the predicted column mirrors the label column's shape.
        var kept = shape.Where(c => c.Name != predictedLabelColumn).ToList();
        return new SchemaShape(kept.Append(WithName(context, label, predictedLabelColumn, input)));
    }

    /// <summary>The input shape plus the columns of the saved scorer's output row <typeparamref name="TOutput"/>, typed and named for the options.</summary>
    private static SchemaShape Added<TOutput>(MLContext context, SchemaShape input, TextClassifierOptions options, int scoreSize) where TOutput : class, new()
    {
        var definition = SchemaDefinition.Create(typeof(TOutput));
        definition[PersistenceColumns.Score].ColumnType = new VectorDataViewType(NumberDataViewType.Single, scoreSize);
        if (options.MaskRepresentationColumnName is { } representation)
        {
            // A shape records that a vector has a fixed size, not the size (the backbone's width, known once it is loaded).
            definition[PersistenceColumns.MaskRepresentation].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1);
            definition[PersistenceColumns.MaskRepresentation].ColumnName = representation;
        }
        definition[PersistenceColumns.Score].ColumnName = options.ScoreColumnName;
        definition[PersistenceColumns.PredictedLabel].ColumnName = options.PredictedLabelColumnName;
        if (definition.Any(c => c.ColumnName == PersistenceColumns.Probability))
            definition[PersistenceColumns.Probability].ColumnName = options.ProbabilityColumnName;
        return context.Transforms.CustomMapping<NoColumns, TOutput>((_, _) => { }, null, outputSchemaDefinition: definition).GetOutputSchema(input);
    }

    private static SchemaShape.Column WithName(MLContext context, SchemaShape.Column column, string name, SchemaShape input) =>
        column.Name == name ? column : context.Transforms.CopyColumns(name, column.Name).GetOutputSchema(input).First(c => c.Name == name);

    /// <summary>A row type with no columns: the shape-only mapping reads nothing.</summary>
    public sealed class NoColumns
    {
    }
}
