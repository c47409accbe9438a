using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>The <c>cls</c> wrapper around <see cref="BertLMPredictionHead"/>, kept so parameter names match HF checkpoints.</summary>
public sealed class BertOnlyMLMHead : nn.Module
{
#pragma warning disable IDE1006
    internal readonly BertLMPredictionHead predictions;
#pragma warning restore IDE1006

    internal BertOnlyMLMHead(BertConfig config) : base(nameof(BertOnlyMLMHead))
    {
        predictions = new BertLMPredictionHead(config);
        RegisterComponents();
    }

    public Tensor forward(Tensor hidden, Tensor wordEmbeddings) => predictions.forward(hidden, wordEmbeddings);
}
