using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>Multi-head self-attention through <c>scaled_dot_product_attention</c> (HF <c>attention.self</c>).</summary>
public sealed class BertSelfAttention : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Linear query;
    internal readonly Linear key;
    internal readonly Linear value;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly double _dropout;

    internal BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        _heads = config.NumAttentionHeads;
        _dropout = config.AttentionProbsDropoutProb;
        RegisterComponents();
    }

    /// <summary>
    /// Attends from <paramref name="queries"/> <c>[batch, K, hidden]</c> over <paramref name="hidden"/> <c>[batch, tokens, hidden]</c>
    /// with an additive <paramref name="mask"/> <c>[batch, 1, 1, tokens]</c>; returns <c>[batch, K, hidden]</c>.
    /// </summary>
    public Tensor forward(Tensor hidden, Tensor queries, Tensor mask)
    {
        using var scope = NewDisposeScope();
        Tensor q, k, v;
        if (ReferenceEquals(queries, hidden))
        {
            var qkv = FusedProjection.Apply(hidden, query, key, value);
            (q, k, v) = (SplitHeads(qkv[0]), SplitHeads(qkv[1]), SplitHeads(qkv[2]));
        }
        else
        {
            var kv = FusedProjection.Apply(hidden, key, value);
            (q, k, v) = (SplitHeads(query.forward(queries)), SplitHeads(kv[0]), SplitHeads(kv[1]));
        }
        var context = nn.functional.scaled_dot_product_attention(q, k, v, mask, training ? _dropout : 0.0);
        long batch = queries.shape[0], length = queries.shape[1];
        return context.transpose(1, 2).reshape(batch, length, -1).MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor x) => x.view(x.shape[0], x.shape[1], _heads, -1).transpose(1, 2);
}
