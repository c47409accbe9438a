using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>Word, position and token-type embeddings followed by LayerNorm (HF <c>BertEmbeddings</c>/<c>RobertaEmbeddings</c>).</summary>
public sealed class BertEmbeddings : nn.Module
{
#pragma warning disable IDE1006 // field names are the state-dict names
    internal readonly Embedding word_embeddings;
    internal readonly Embedding position_embeddings;
    internal readonly Embedding? token_type_embeddings;
    internal readonly LayerNorm LayerNorm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    internal BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = config.TypeVocabSize > 0 ? nn.Embedding(config.TypeVocabSize, config.HiddenSize) : null;
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _dropout = config.HiddenDropoutProb;
        RegisterComponents();
    }

    /// <summary>The word-embedding matrix <c>[vocab, hidden]</c> (also the tied MLM decoder).</summary>
    public Parameter WordEmbeddingWeight => word_embeddings.weight!;

    /// <summary>Looks up word embeddings: <c>[batch, tokens]</c> ids → <c>[batch, tokens, hidden]</c>.</summary>
    public Tensor EmbedTokens(Tensor inputIds) => word_embeddings.forward(inputIds);

    /// <summary>Adds position (and token-type 0) embeddings to <paramref name="inputsEmbeds"/> <c>[batch, tokens, hidden]</c>.</summary>
    public Tensor forward(Tensor inputsEmbeds, Tensor positionIds)
    {
        using var scope = NewDisposeScope();
        // Explicit alphas: see RootedScalars.
        var sum = inputsEmbeds.add(position_embeddings.forward(positionIds), RootedScalars.One);
        if (token_type_embeddings is not null)
            sum = sum.add(token_type_embeddings.weight![0], RootedScalars.One); // token type 0 for every token: single-segment prompts
        var normalised = LayerNorm.forward(sum);
        return nn.functional.dropout(normalised, _dropout, training).MoveToOuterDisposeScope();
    }
}
