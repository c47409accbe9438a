using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet.Persistence;
using Microsoft.ML.PromptTuning.Projection;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// A fitted <see cref="PromptProjector"/> with the prompt it was fitted on, projected onto the target model
/// (<see cref="ProjectedPrompt"/>, which <see cref="Transform"/> scores with). <see cref="Project(SoftPromptTransformer, string?, LabelWords?)"/>
/// turns any soft-prompt transformer of the source model into one of the target model. Saved with <c>mlContext.Model.Save</c>
/// as the projected prompt's scorer plus the projector's weights; <c>mlContext.PromptTuning().LoadPromptProjector</c> gets it back.
/// </summary>
/// <remarks>The zip holds every projector weight as base64 (<c>N_src·d_src·hidden + hidden·N_tgt·d_tgt</c> floats, about 42 MB
/// for 20-token prompts of width 256 and the default hidden layer); <see cref="PromptProjector.Save"/> writes the compact safetensors.</remarks>
public sealed class PromptProjectorTransformer : ITransformer, IDisposable
{
    private readonly MLContext _context;
    private bool _disposed;

    internal PromptProjectorTransformer(MLContext context, PromptProjector projector, SoftPromptTransformer projectedPrompt)
    {
        _context = context;
        Projector = projector;
        ProjectedPrompt = projectedPrompt;
    }

    /// <summary>The trained projector (save its weights with <see cref="PromptProjector.Save"/>).</summary>
    public PromptProjector Projector { get; }

    /// <summary>The source prompt the projector was fitted with, projected onto the target model with the target's template and verbalizer.</summary>
    public SoftPromptTransformer ProjectedPrompt { get; }

    /// <summary>The projector's learning curve (empty for a loaded model).</summary>
    public IReadOnlyList<LearningCurvePoint> LearningCurve => ProjectedPrompt.LearningCurve;

    public bool IsRowToRowMapper => true;

    /// <summary>
    /// The target-model transformer for a source-model prompt: its prompt projected, read with <paramref name="template"/>
    /// (default: the source template carried over to the target, see <see cref="ProjectedTemplate"/>) and
    /// <paramref name="labelWords"/> (default: the source's) on the target backbone, with the source's columns. Use it for
    /// zero-shot scoring, or its <see cref="SoftPromptTransformer.Prompt"/> as the initial prompt of further tuning
    /// (<see cref="PromptInitialization.FromPrompt"/>). The caller disposes it.
    /// </summary>
    /// <exception cref="ArgumentException">The prompt belongs to another backbone or has another length than the projector's source.</exception>
    public SoftPromptTransformer Project(SoftPromptTransformer source, string? template = null, LabelWords? labelWords = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var config = Projector.Config;
        var sourceClassifier = source.Predictor.Classifier;
        var targetTemplate = template is null ? ProjectedTemplate.For(source.Prompt.Template, config.Target, config.TargetTokens) : PromptTemplate.Parse(template);
        var words = labelWords ?? sourceClassifier.Verbalizer.LabelWords;
        var projected = Projector.Project(source.Prompt, targetTemplate, words);
        string targetPath = ProjectedPrompt.State.BackbonePath;
        var (backbone, directory) = BackboneCache.Acquire(ProjectedPrompt.State.BackboneLocation(), ProjectedPrompt.Predictor.Classifier.Backbone.Device);
        try
        {
            var classifier = TargetClassifier.Create(backbone, directory, targetTemplate, words, sourceClassifier.Verbalizer.Handling, maxLength: null);
            var outputs = new SoftPromptOutputSchema(source.Outputs.Label, words.Labels, source.Outputs.PredictedLabelColumn, source.Outputs.ScoreColumn,
                source.Outputs.ProbabilityColumn ?? PersistenceColumns.Probability, source.Outputs.MaskRepresentationColumn, backbone.HiddenSize);
            return SoftPromptTransformer.Create(_context, classifier, new TextColumnBinding(targetTemplate, source.Predictor.Binding.Columns), projected,
                new BackboneReference(targetPath, directory), outputs, source.Predictor.BatchSize, []);
        }
        catch
        {
            BackboneCache.Release(backbone);
            projected.Dispose();
            throw;
        }
    }

    /// <summary>The target-model prompt for a source-model prompt (see <see cref="PromptProjector.Project"/>).</summary>
    public SoftPrompt Project(SoftPrompt source, PromptTemplate? template = null, LabelWords? labelWords = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Projector.Project(source, template, labelWords);
    }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => ProjectedPrompt.GetOutputSchema(inputSchema);

    public IDataView Transform(IDataView input)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ProjectedPrompt.Transform(input);
    }

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ProjectedPrompt.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Saves the projected prompt's scorer chain with the projector's state in one more built-in <c>ValueMapping</c>.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var projector = PromptProjectorState.Create(Projector, ProjectedPrompt.Outputs);
        ((ICanSaveModel)SavedModelChain.Build(_context, ProjectedPrompt.State, ProjectedPrompt.Outputs, (PersistenceColumns.ProjectorState, projector.Serialize()))).Save(ctx);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        ProjectedPrompt.Dispose();
        Projector.Dispose();
    }
}
