using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>What a <see cref="SoftPrompt"/> records about the backbone it was trained for.</summary>
/// <param name="NameOrPath">The hub id or folder the backbone was loaded from (PEFT's <c>base_model_name_or_path</c>); may be empty.</param>
/// <param name="ModelType">The Hugging Face <c>model_type</c> (<c>roberta</c>, <c>bert</c>, <c>t5</c>); null when unknown, as for
/// a PEFT adapter written elsewhere.</param>
/// <param name="HiddenSize">The token-embedding width, which is the prompt's width.</param>
/// <param name="LayerCount">Encoder layers (PEFT's <c>num_layers</c>), when known.</param>
/// <param name="AttentionHeadCount">Attention heads per layer (PEFT's <c>num_attention_heads</c>), when known.</param>
public sealed record BackboneInfo(string NameOrPath, string? ModelType, int HiddenSize, int? LayerCount = null, int? AttentionHeadCount = null)
{
    /// <summary>Describes a loaded backbone.</summary>
    /// <param name="model">The backbone.</param>
    /// <param name="nameOrPath">Where it was loaded from (what <see cref="LanguageModelLoader.Load"/> was given).</param>
    public static BackboneInfo FromModel(LanguageModel model, string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(nameOrPath);
        return model switch
        {
            MaskedLanguageModel mlm => new BackboneInfo(nameOrPath, mlm.ModelType, mlm.HiddenSize, mlm.Config.NumHiddenLayers, mlm.Config.NumAttentionHeads),
            T5ForConditionalGeneration t5 => new BackboneInfo(nameOrPath, t5.ModelType, t5.HiddenSize, t5.Config.NumLayers, t5.Config.NumHeads),
            _ => new BackboneInfo(nameOrPath, model.ModelType, model.HiddenSize),
        };
    }

    /// <summary>Whether the backbone is an encoder-decoder (T5), which reads labels from the decoder.</summary>
    public bool IsEncoderDecoder => ModelType is "t5" or "mt5";

    /// <summary>
    /// Whether <paramref name="other"/> describes the same kind of backbone: equal model types, widths, layer and head counts
    /// (each compared when both sides know it). Paths are not compared: the same model lives in different folders on different machines.
    /// </summary>
    public bool IsSameArchitectureAs(BackboneInfo other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return HiddenSize == other.HiddenSize
               && (ModelType is null || other.ModelType is null || ModelType == other.ModelType)
               && (LayerCount is null || other.LayerCount is null || LayerCount == other.LayerCount)
               && (AttentionHeadCount is null || other.AttentionHeadCount is null || AttentionHeadCount == other.AttentionHeadCount);
    }

    /// <summary>A short description for messages: model type, layers, width and where it came from.</summary>
    public override string ToString() =>
        $"{ModelType ?? "unknown model"}{(LayerCount is int layers ? $" {layers} layers" : "")} of width {HiddenSize}{(NameOrPath.Length > 0 ? $" ('{NameOrPath}')" : "")}";
}
