using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>Self-attention and its residual output (HF <c>attention</c>).</summary>
public sealed class BertAttention : nn.Module
{
#pragma warning disable IDE1006
    internal readonly BertSelfAttention self;
    internal readonly BertResidualOutput output;
#pragma warning restore IDE1006

    internal BertAttention(BertConfig config) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config);
        output = new BertResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>Attention for <paramref name="queries"/> <c>[batch, K, hidden]</c> over <paramref name="hidden"/> <c>[batch, tokens, hidden]</c>.</summary>
    public Tensor forward(Tensor hidden, Tensor queries, Tensor mask)
    {
        using var context = self.forward(hidden, queries, mask);
        return output.forward(context, queries);
    }
}
