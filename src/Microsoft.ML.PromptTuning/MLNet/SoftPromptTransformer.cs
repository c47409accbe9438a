using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet.Persistence;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// A trained soft prompt on its frozen backbone, as an ML.NET transformer: adds <c>PredictedLabel</c> (the label's type),
/// <c>Score</c> (class probabilities), for boolean labels <c>Probability</c> and, when its options name a column, the mask
/// representation (<see cref="TextClassifierOptions.MaskRepresentationColumnName"/>). <see cref="Transform"/> scores in
/// length-bucketed batches; <c>PredictionEngine</c> scores row by row. Saved with <c>mlContext.Model.Save</c> as built-in
/// ML.NET transformers holding the prompt (the backbone is referenced by path and SHA-256, not copied).
/// </summary>
public sealed class SoftPromptTransformer : ITransformer, IDisposable
{
    private readonly MLContext _context;
    private readonly SoftPromptPredictor _predictor;
    private readonly SoftPromptOutputSchema _outputs;
    private readonly SoftPromptState _state;
    private bool _disposed;

    internal SoftPromptTransformer(MLContext context, SoftPromptPredictor predictor, SoftPrompt prompt, SoftPromptState state,
        SoftPromptOutputSchema outputs, IReadOnlyList<LearningCurvePoint> learningCurve)
    {
        _context = context;
        _predictor = predictor;
        _outputs = outputs;
        _state = state;
        Prompt = prompt;
        LearningCurve = learningCurve;
    }

    /// <summary>
    /// A transformer scoring with <paramref name="prompt"/> through <paramref name="classifier"/>; it holds one reference to the
    /// classifier's backbone (taken from <see cref="BackboneCache"/> by the caller), released when it is disposed.
    /// </summary>
    internal static SoftPromptTransformer Create(MLContext context, PromptClassifier classifier, TextColumnBinding binding, SoftPrompt prompt,
        BackboneReference backbone, SoftPromptOutputSchema outputs, int batchSize, IReadOnlyList<LearningCurvePoint> learningCurve)
    {
        var predictor = new SoftPromptPredictor(classifier, binding, prompt.Embeddings, batchSize);
        var state = SoftPromptState.Create(prompt.Embeddings, predictor, backbone, BackboneCache.WeightsSha256(backbone.Directory), outputs);
        return new SoftPromptTransformer(context, predictor, prompt, state, outputs, learningCurve);
    }

    /// <summary>The learned prompt with its metadata (export it with <see cref="SoftPrompt.Save"/> or <see cref="SoftPrompt.ExportPeft"/>).</summary>
    public SoftPrompt Prompt { get; }

    /// <summary>The training run's learning curve (empty for a transformer built from a saved prompt).</summary>
    public IReadOnlyList<LearningCurvePoint> LearningCurve { get; }

    /// <summary>The labels, in <c>Score</c> order.</summary>
    public IReadOnlyList<string> Labels => _predictor.Labels;

    /// <summary>The scorer behind the transformer (template, verbalizer, backbone).</summary>
    public SoftPromptPredictor Predictor => _predictor;

    /// <summary>The output columns (names, label kind and labels).</summary>
    internal SoftPromptOutputSchema Outputs => _outputs;

    /// <summary>What a saved model stores (prompt, settings, backbone reference).</summary>
    internal SoftPromptState State => _state;

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TextColumnReader.Columns(inputSchema, _predictor.Binding.Columns);
        return _outputs.Extend(inputSchema);
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SoftPromptScoredDataView(input, _predictor, _outputs);
    }

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SoftPromptRowMapper(inputSchema, _predictor, _outputs);
    }

    /// <summary>Saves as ML.NET's own savable transformers (see <see cref="SavedModelChain"/>), loadable by <c>mlContext.Model.Load</c>.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)SavedModelChain.Build(_context, _state, _outputs)).Save(ctx);

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _predictor.Dispose();
        Prompt.Dispose();
        BackboneCache.Release(_predictor.Classifier.Backbone);
    }
}
