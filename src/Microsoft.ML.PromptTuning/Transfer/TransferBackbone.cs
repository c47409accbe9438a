using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>The frozen backbone shared by every task of an evaluation, with one classifier (template + verbalizer) per task.</summary>
internal sealed class TransferBackbone : IDisposable
{
    private readonly Dictionary<string, PromptClassifier> _classifiers = new(StringComparer.Ordinal);
    private readonly int? _maxLength;
    private bool _disposed;

    public TransferBackbone(string backbone, Device device, int promptLength, int? maxLength)
    {
        (Model, Directory) = BackboneCache.Acquire(backbone, device);
        try
        {
            Tokenizer = ModelTokenizer.FromDirectory(Directory);
        }
        catch
        {
            BackboneCache.Release(Model);
            throw;
        }
        Info = BackboneInfo.FromModel(Model, backbone);
        PromptLength = promptLength;
        _maxLength = maxLength;
    }

    public LanguageModel Model { get; }

    public string Directory { get; }

    public ModelTokenizer Tokenizer { get; }

    public BackboneInfo Info { get; }

    public int PromptLength { get; }

    /// <summary>The task's template for this backbone and prompt length.</summary>
    public PromptTemplate TemplateOf(PromptTask task)
    {
        var template = task.TemplateFor(PromptLength, Model is MaskedLanguageModel);
        if (template.SoftTokenCount != PromptLength)
            throw new ArgumentException($"Task '{task.Name}''s template \"{template}\" has {template.SoftTokenCount} soft tokens but the prompts have {PromptLength}.");
        return template;
    }

    /// <summary>The classifier reading <paramref name="task"/>: its template and verbalizer on this backbone (built once per task).</summary>
    public PromptClassifier ClassifierFor(PromptTask task)
    {
        if (_classifiers.TryGetValue(task.Name, out var classifier))
            return classifier;
        var encoder = new PromptEncoder(TemplateOf(task), Tokenizer, Math.Min(_maxLength ?? Model.MaxSequenceLength, Model.MaxSequenceLength));
        return _classifiers[task.Name] = new PromptClassifier(Model, encoder, new Verbalizer(task.LabelWords, Tokenizer));
    }

    /// <summary>Checks that <paramref name="prompt"/> fits this backbone and prompt length; the message names the prompt.</summary>
    public void CheckPrompt(string name, SoftPrompt prompt)
    {
        if (prompt.HiddenSize != Model.HiddenSize)
            throw new ArgumentException($"Prompt '{name}' is {prompt.HiddenSize} wide but the {Model.ModelType} backbone's hidden size is {Model.HiddenSize}.");
        if (prompt.TokenCount != PromptLength)
            throw new ArgumentException($"Prompt '{name}' has {prompt.TokenCount} soft tokens but the evaluation uses {PromptLength}; all prompts must have the same length.");
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        BackboneCache.Release(Model);
    }
}
