using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>RoBERTa's MLM head (HF <c>lm_head</c>): dense, GELU, <c>layer_norm</c>, decoder tied to the word embeddings, bias.</summary>
public sealed class RobertaLMHead : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Linear dense;
    internal readonly LayerNorm layer_norm;
    internal readonly Parameter bias;
#pragma warning restore IDE1006

    internal RobertaLMHead(BertConfig config) : base(nameof(RobertaLMHead))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        bias = nn.Parameter(zeros(config.VocabSize));
        RegisterComponents();
    }

    /// <summary>Vocabulary logits <c>[..., vocab]</c> for hidden states <c>[..., hidden]</c>.</summary>
    public Tensor forward(Tensor hidden, Tensor wordEmbeddings)
    {
        using var scope = NewDisposeScope();
        var transformed = layer_norm.forward(nn.functional.gelu(dense.forward(hidden)));
        return nn.functional.linear(transformed, wordEmbeddings, bias).MoveToOuterDisposeScope();
    }
}
