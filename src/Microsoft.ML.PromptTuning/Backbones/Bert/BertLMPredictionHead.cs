using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>BERT's MLM head (HF <c>cls.predictions</c>): transform, then the decoder tied to the word embeddings plus a bias.</summary>
public sealed class BertLMPredictionHead : nn.Module
{
#pragma warning disable IDE1006
    internal readonly BertPredictionHeadTransform transform;
    internal readonly Parameter bias;
#pragma warning restore IDE1006

    internal BertLMPredictionHead(BertConfig config) : base(nameof(BertLMPredictionHead))
    {
        transform = new BertPredictionHeadTransform(config);
        bias = nn.Parameter(zeros(config.VocabSize));
        RegisterComponents();
    }

    /// <summary>Vocabulary logits <c>[..., vocab]</c> for hidden states <c>[..., hidden]</c>.</summary>
    public Tensor forward(Tensor hidden, Tensor wordEmbeddings)
    {
        using var transformed = transform.forward(hidden);
        return nn.functional.linear(transformed, wordEmbeddings, bias);
    }
}
