using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>
/// The built-in, savable ML.NET transformers a soft-prompt model is saved as: text columns concatenated → a constant key →
/// <c>ValueMapping</c> to the stored <see cref="SoftPromptState"/> → the library's <c>CustomMapping</c> scorer → (key labels)
/// <c>MapValueToKey</c> → the output names → internal columns dropped. ML.NET loads it back with its public loader once this
/// assembly is registered (<c>mlContext.ComponentCatalog.RegisterAssembly</c>, done by <c>mlContext.PromptTuning()</c>).
/// </summary>
internal static class SavedModelChain
{
    public static ITransformer Build(MLContext context, SoftPromptState state, SoftPromptOutputSchema outputs)
    {
        var inputSchema = new DataViewSchema.Builder();
        foreach (string column in state.TextColumns)
            inputSchema.AddColumn(column, TextDataViewType.Instance);
        var empty = new EmptyDataView(inputSchema.ToSchema());

        IEstimator<ITransformer> chain = context.Transforms.Concatenate(PersistenceColumns.Texts, state.TextColumns)
            .Append(context.Transforms.CustomMapping<PromptTextsRow, PromptStateKeyRow>(PromptStateKeyFactory.Map, PromptStateKeyFactory.ContractName))
            .Append(context.Transforms.Conversion.MapValue(PersistenceColumns.State,
                new[] { new KeyValuePair<string, string>(PersistenceColumns.StateKeyValue, state.Serialize()) }, PersistenceColumns.StateKey));
        chain = state.LabelKind == LabelKind.Boolean
            ? chain.Append(context.Transforms.CustomMapping<PromptScorerInput, BooleanLabelPrediction>(BooleanLabelScorerFactory.Map, BooleanLabelScorerFactory.ContractName))
            : chain.Append(context.Transforms.CustomMapping<PromptScorerInput, TextLabelPrediction>(TextLabelScorerFactory.Map, TextLabelScorerFactory.ContractName));
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
        var dropped = new List<string> { PersistenceColumns.Texts, PersistenceColumns.StateKey, PersistenceColumns.State };
        if (renames.Count > 0)
        {
            foreach (var (output, input) in renames)
                chain = chain.Append(context.Transforms.CopyColumns(output, input));
            dropped.AddRange(renames.Select(r => r.Input));
        }
        chain = chain.Append(context.Transforms.DropColumns(dropped.ToArray()));
        return chain.Fit(empty);
    }

    private sealed class KeyValueRow
    {
        public string Value { get; set; } = "";
    }
}
