using Microsoft.ML.PromptTuning.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// A trained (or initial) soft prompt: the embeddings <c>[N, hidden]</c> with what is needed to use it again — the backbone
/// it belongs to, the template, the label words and a training summary. Saved as safetensors (tensor
/// <c>prompt_embeddings</c>) and exchangeable with PEFT prompt-tuning adapters. Owns a detached float32 CPU copy of the tensor.
/// </summary>
public sealed class SoftPrompt : IDisposable
{
    /// <summary>The tensor's name in saved files, as PEFT names it.</summary>
    public const string TensorKey = "prompt_embeddings";

    private readonly Tensor _embeddings;
    private bool _disposed;

    /// <summary>Creates a prompt from a copy of <paramref name="embeddings"/>.</summary>
    /// <param name="embeddings">The prompt <c>[N, hidden]</c>, any device and floating dtype; it is copied, not kept.</param>
    /// <param name="backbone">The backbone it is for; its hidden size must be the tensor's width.</param>
    /// <param name="template">The template it was trained with; its soft-token count must be N.</param>
    /// <param name="labelWords">The verbalizer's labels and words.</param>
    /// <param name="trainingSummary">Free-form facts about the training run (task, epochs, score …).</param>
    /// <exception cref="ArgumentException">The tensor is not <c>[N, hidden]</c> with N, hidden ≥ 1, holds NaN or infinity, or
    /// disagrees with <paramref name="backbone"/> or <paramref name="template"/>.</exception>
    public SoftPrompt(Tensor embeddings, BackboneInfo backbone, PromptTemplate? template = null, LabelWords? labelWords = null,
        IReadOnlyDictionary<string, string>? trainingSummary = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(backbone);
        CheckTensor(embeddings, backbone, template);
        using (no_grad())
        using (NewDisposeScope())
        {
            // Owned for the prompt's lifetime, so kept out of any dispose scope the caller has open.
            _embeddings = embeddings.detach().to(ScalarType.Float32, CPU).contiguous().clone().DetachFromDisposeScope();
        }
        Backbone = backbone;
        Template = template;
        LabelWords = labelWords;
        TrainingSummary = new Dictionary<string, string>(trainingSummary ?? new Dictionary<string, string>(), StringComparer.Ordinal).AsReadOnly();
    }

    /// <summary>The embeddings <c>[N, hidden]</c> (float32, CPU). Owned by this object: copy them (<see cref="ToDevice"/>) to train.</summary>
    public Tensor Embeddings
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _embeddings;
        }
    }

    /// <summary>The number of soft tokens N.</summary>
    public int TokenCount => (int)Embeddings.shape[0];

    /// <summary>The width of each soft token (the backbone's hidden size).</summary>
    public int HiddenSize => (int)Embeddings.shape[1];

    /// <summary>The backbone the prompt belongs to.</summary>
    public BackboneInfo Backbone { get; }

    /// <summary>The template the prompt was trained with, when recorded.</summary>
    public PromptTemplate? Template { get; }

    /// <summary>The verbalizer's labels and words, when recorded.</summary>
    public LabelWords? LabelWords { get; }

    /// <summary>Free-form facts about the training run.</summary>
    public IReadOnlyDictionary<string, string> TrainingSummary { get; }

    /// <summary>A new copy of the embeddings on <paramref name="device"/>, optionally requiring grad (the trainable parameter).</summary>
    public Tensor ToDevice(Device device, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(device);
        using var scope = NewDisposeScope();
        using (no_grad())
            return Embeddings.to(device).clone().requires_grad_(requiresGrad).MoveToOuterDisposeScope();
    }

    /// <summary>Checks that the prompt can feed <paramref name="backbone"/>: the widths must match.</summary>
    /// <exception cref="ArgumentException">The hidden sizes differ; the message names both.</exception>
    public void EnsureCompatibleWith(LanguageModel backbone)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        if (backbone.HiddenSize != HiddenSize)
            throw new ArgumentException(
                $"The soft prompt is {HiddenSize} wide (trained for {Backbone.ModelType ?? "an unknown model"} '{Backbone.NameOrPath}') but the " +
                $"{backbone.ModelType} backbone's hidden size is {backbone.HiddenSize}; a projector is needed to transfer it.", nameof(backbone));
    }

    /// <summary>Saves to a safetensors file (tensor <c>prompt_embeddings</c>, the rest as JSON in <c>__metadata__</c>), atomically.</summary>
    /// <exception cref="DirectoryNotFoundException">The file's folder does not exist.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SoftPromptFile.Write(this, path);
    }

    /// <summary>Loads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="Checkpoints.CheckpointFormatException">It is not a soft-prompt file or its content is invalid; the message says why.</exception>
    public static SoftPrompt Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return SoftPromptFile.Read(path);
    }

    /// <summary>
    /// Writes a PEFT prompt-tuning adapter into <paramref name="directory"/> (created if needed): <c>adapter_config.json</c>
    /// (<c>peft_type</c> <c>PROMPT_TUNING</c>, <c>task_type</c> <c>SEQ_2_SEQ_LM</c> for T5, else <c>SEQ_CLS</c>, one
    /// transformer submodule) and <c>adapter_model.safetensors</c> with <c>prompt_embeddings</c>; the template, label words and
    /// summary ride along in the safetensors metadata, which PEFT ignores.
    /// </summary>
    /// <exception cref="InvalidOperationException">The template puts soft tokens after hard content; PEFT can only prepend them.</exception>
    public void ExportPeft(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        PeftPromptTuningAdapter.Export(this, directory);
    }

    /// <summary>Reads a PEFT prompt-tuning adapter folder (<c>adapter_config.json</c> and <c>adapter_model.safetensors</c>, or
    /// <c>adapter_model.bin</c>), checking <c>peft_type</c>, the shapes and <c>token_dim</c> against the tensor.</summary>
    /// <exception cref="FileNotFoundException">The folder lacks the config or the weights; the message names the file.</exception>
    /// <exception cref="Checkpoints.CheckpointFormatException">The adapter is not a valid prompt-tuning adapter; the message says why.</exception>
    public static SoftPrompt ImportPeft(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return PeftPromptTuningAdapter.Import(directory);
    }

    /// <summary>Releases the tensor.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _embeddings.Dispose();
    }

    private static void CheckTensor(Tensor embeddings, BackboneInfo backbone, PromptTemplate? template)
    {
        if (embeddings.dim() != 2 || embeddings.shape[0] < 1 || embeddings.shape[1] < 1)
            throw new ArgumentException(
                $"A soft prompt must be a [tokens, hidden] matrix, not a tensor of shape [{string.Join(", ", embeddings.shape)}].", nameof(embeddings));
        if (!embeddings.is_floating_point())
            throw new ArgumentException($"A soft prompt must hold floating-point values, not {embeddings.dtype}.", nameof(embeddings));
        if (embeddings.shape[1] != backbone.HiddenSize)
            throw new ArgumentException(
                $"The prompt is {embeddings.shape[1]} wide but the backbone's hidden size is {backbone.HiddenSize}.", nameof(embeddings));
        using (no_grad())
        {
            using Tensor finite = isfinite(embeddings);
            using Tensor allFinite = finite.all();
            if (!allFinite.item<bool>())
                throw new ArgumentException("The soft prompt holds NaN or infinite values (a diverged training run?).", nameof(embeddings));
        }
        if (template is not null && template.SoftTokenCount != embeddings.shape[0])
            throw new ArgumentException(
                $"The template \"{template}\" has {template.SoftTokenCount} soft tokens but the prompt has {embeddings.shape[0]} rows.", nameof(template));
    }
}
