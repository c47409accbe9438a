using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>
/// The built-in, savable ML.NET transformers a soft-prompt model is saved as: text columns concatenated → a constant key →
/// <c>ValueMapping</c> to the stored <see cref="SoftPromptState"/> → the library's <c>CustomMapping</c> scorer (with the mask
/// representation when the model adds it) → (key labels) <c>MapValueToKey</c> → the output names → internal columns
/// dropped. ML.NET loads it back with its public loader once this assembly is registered
/// (<c>mlContext.ComponentCatalog.RegisterAssembly</c>, done by <c>mlContext.PromptTuning()</c>).
/// An attachment (a column name and a string, such as a projector's state) rides along in one more <c>ValueMapping</c> on the
/// same key, dropped like the other internal columns and read back by <see cref="StoredValues"/>.
/// </summary>
internal static class SavedModelChain
{
    public static ITransformer Build(MLContext context, SoftPromptState state, SoftPromptOutputSchema outputs, (string Column, string Value)? attachment = null)
    {
        var inputSchema = new DataViewSchema.Builder();
        foreach (string column in state.TextColumns)
            inputSchema.AddColumn(column, TextDataViewType.Instance);
        var empty = new EmptyDataView(inputSchema.ToSchema());

        IEstimator<ITransformer> chain = context.Transforms.Concatenate(PersistenceColumns.Texts, state.TextColumns)
            .Append(context.Transforms.CustomMapping<PromptTextsRow, PromptStateKeyRow>(PromptStateKeyFactory.Map, PromptStateKeyFactory.ContractName))
            .Append(context.Transforms.Conversion.MapValue(PersistenceColumns.State,
                new[] { new KeyValuePair<string, string>(PersistenceColumns.StateKeyValue, state.Serialize()) }, PersistenceColumns.StateKey));
        if (attachment is { } attached)
            chain = chain.Append(context.Transforms.Conversion.MapValue(attached.Column,
                new[] { new KeyValuePair<string, string>(PersistenceColumns.StateKeyValue, attached.Value) }, PersistenceColumns.StateKey));
        chain = chain.Append(Scorer(context, state.LabelKind == LabelKind.Boolean, outputs.MaskRepresentationColumn is not null));
        if (state.LabelKind == LabelKind.Key)
        {
            var keys = context.Data.LoadFromEnumerable(state.KeyValues.Select(v => new KeyValueRow { Value = v }));
            chain = chain.Append(context.Transforms.Conversion.MapValueToKey(PersistenceColumns.PredictedLabel, PersistenceColumns.PredictedLabel,
                keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence, keyData: keys));
        }
        var renames = new List<(string Output, string Input)>();
        if (outputs.PredictedLabelColumn != PersistenceColumns.PredictedLabel)
            renames.Add((outputs.PredictedLabelColumn, PersistenceColumns.PredictedLabel));
        if (outputs.ScoreColumn != PersistenceColumns.Score)
            renames.Add((outputs.ScoreColumn, PersistenceColumns.Score));
        if (outputs.ProbabilityColumn is { } probability && probability != PersistenceColumns.Probability)
            renames.Add((probability, PersistenceColumns.Probability));
        if (outputs.MaskRepresentationColumn is { } representation && representation != PersistenceColumns.MaskRepresentation)
            renames.Add((representation, PersistenceColumns.MaskRepresentation));
        var dropped = new List<string> { PersistenceColumns.Texts, PersistenceColumns.StateKey, PersistenceColumns.State };
        if (attachment is { } extra)
            dropped.Add(extra.Column);
        if (renames.Count > 0)
        {
            foreach (var (output, input) in renames)
                chain = chain.Append(context.Transforms.CopyColumns(output, input));
            dropped.AddRange(renames.Select(r => r.Input));
        }
        chain = chain.Append(context.Transforms.DropColumns(dropped.ToArray()));
        return chain.Fit(empty);
    }

    /// <summary>The library's scorer for the label type; models without a representation keep the scorers they always had.</summary>
    private static IEstimator<ITransformer> Scorer(MLContext context, bool boolean, bool withRepresentation) => (boolean, withRepresentation) switch
    {
        (false, false) => context.Transforms.CustomMapping<PromptScorerInput, TextLabelPrediction>(TextLabelScorerFactory.Map, TextLabelScorerFactory.ContractName),
        (true, false) => context.Transforms.CustomMapping<PromptScorerInput, BooleanLabelPrediction>(BooleanLabelScorerFactory.Map, BooleanLabelScorerFactory.ContractName),
        (false, true) => context.Transforms.CustomMapping<PromptScorerInput, TextLabelPredictionWithRepresentation>(
            TextLabelRepresentationScorerFactory.Map, TextLabelRepresentationScorerFactory.ContractName),
        (true, true) => context.Transforms.CustomMapping<PromptScorerInput, BooleanLabelPredictionWithRepresentation>(
            BooleanLabelRepresentationScorerFactory.Map, BooleanLabelRepresentationScorerFactory.ContractName),
    };

    /// <summary>
    /// The strings a loaded chain stores under <paramref name="columns"/> (the state and any attachment): each of its
    /// <c>ValueMapping</c> transformers runs on a one-row view holding the state key. Columns not found are absent.
    /// </summary>
    public static Dictionary<string, string> StoredValues(MLContext context, ITransformer model, params string[] columns)
    {
        var keyView = context.Data.LoadFromEnumerable(new[] { new PromptStateKeyRow { Key = PersistenceColumns.StateKeyValue } });
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mapping in Flatten(model).OfType<ValueMappingTransformer>())
        {
            var output = mapping.GetOutputSchema(keyView.Schema);
            foreach (string column in columns.Where(c => output.GetColumnOrNull(c) is { Type: TextDataViewType }))
                values[column] = mapping.Transform(keyView).GetColumn<string>(column).Single();
        }
        return values;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [model];

    private sealed class KeyValueRow
    {
        public string Value { get; set; } = "";
    }
}
