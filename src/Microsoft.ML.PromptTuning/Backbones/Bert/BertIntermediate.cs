using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>The FFN's first projection and activation (HF <c>intermediate</c>): <c>[batch, K, hidden]</c> → <c>[batch, K, ffn]</c>.</summary>
public sealed class BertIntermediate : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Linear dense;
#pragma warning restore IDE1006
    private readonly string _activation;

    internal BertIntermediate(BertConfig config) : base(nameof(BertIntermediate))
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        _activation = config.HiddenAct;
        RegisterComponents();
    }

    public Tensor forward(Tensor x)
    {
        using var projected = dense.forward(x);
        return Activation.Apply(_activation, projected);
    }
}
