using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>
/// T5 multi-head attention (<c>q</c>, <c>k</c>, <c>v</c>, <c>o</c> without biases, unscaled scores plus a position bias);
/// the first layer of each stack also owns the <c>relative_attention_bias</c> table.
/// </summary>
public sealed class T5Attention : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Linear q;
    internal readonly Linear k;
    internal readonly Linear v;
    internal readonly Linear o;
    internal readonly Embedding? relative_attention_bias;
#pragma warning restore IDE1006
    private readonly T5Config _config;
    private readonly double _queryScale;

    internal T5Attention(T5Config config, bool hasRelativeAttentionBias) : base(nameof(T5Attention))
    {
        int inner = config.NumHeads * config.DKv;
        q = nn.Linear(config.DModel, inner, hasBias: false);
        k = nn.Linear(config.DModel, inner, hasBias: false);
        v = nn.Linear(config.DModel, inner, hasBias: false);
        o = nn.Linear(inner, config.DModel, hasBias: false);
        relative_attention_bias = hasRelativeAttentionBias ? nn.Embedding(config.RelativeAttentionNumBuckets, config.NumHeads) : null;
        _config = config;
        // T5 does not scale scores; scaled_dot_product_attention divides by sqrt(d_kv), so queries are pre-multiplied by it.
        _queryScale = Math.Sqrt(config.DKv);
        RegisterComponents();
    }

    /// <summary>Position bias <c>[1, heads, queries, keys]</c> from the relative-position table.</summary>
    public Tensor PositionBias(long queryLength, long keyLength, bool bidirectional, Device device)
    {
        if (relative_attention_bias is null)
            throw new InvalidOperationException("Only the first attention layer of a T5 stack owns the relative position table.");
        using var scope = NewDisposeScope();
        var buckets = T5RelativePositionBucket.Compute(queryLength, keyLength, bidirectional,
            _config.RelativeAttentionNumBuckets, _config.RelativeAttentionMaxDistance, device);
        return relative_attention_bias.forward(buckets).permute(2, 0, 1).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attends from <paramref name="queries"/> <c>[batch, Tq, d_model]</c> over <paramref name="keyValues"/> <c>[batch, Tk, d_model]</c>
    /// with an additive <paramref name="bias"/> (position bias plus mask) broadcastable to <c>[batch, heads, Tq, Tk]</c>.
    /// </summary>
    public Tensor forward(Tensor queries, Tensor keyValues, Tensor bias)
    {
        using var scope = NewDisposeScope();
        Tensor query, key, value;
        if (ReferenceEquals(queries, keyValues))
        {
            var qkv = FusedProjection.Apply(queries, q, k, v);
            (query, key, value) = (SplitHeads(qkv[0]), SplitHeads(qkv[1]), SplitHeads(qkv[2]));
        }
        else
        {
            var kv = FusedProjection.Apply(keyValues, k, v);
            (query, key, value) = (SplitHeads(q.forward(queries)), SplitHeads(kv[0]), SplitHeads(kv[1]));
        }
        using (var scale = _queryScale.ToScalar())   // held until mul returns: see RootedScalars
            query = query.mul(scale);
        var context = nn.functional.scaled_dot_product_attention(query, key, value, bias, training ? _config.DropoutRate : 0.0);
        var merged = context.transpose(1, 2).reshape(queries.shape[0], queries.shape[1], -1);
        return o.forward(merged).MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor x) => x.view(x.shape[0], x.shape[1], _config.NumHeads, _config.DKv).transpose(1, 2);
}
