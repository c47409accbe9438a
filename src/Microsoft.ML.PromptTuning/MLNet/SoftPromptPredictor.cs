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
    public float[][] Predict(IReadOnlyList<IReadOnlyList<string?>> rows)
    {
        var encoded = new List<EncodedPrompt>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
            encoded.Add(Classifier.Encoder.Encode(Binding.Row(rows[i])));
        return Classifier.Predict(encoded, _prompt, BatchSize);
    }

    public void Dispose() => _prompt.Dispose();
}
