using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Transfer.Indicators;

/// <summary>
/// The prompt-embedding transferability indicators of Su et al. (2022): cosine or Euclidean similarity of two prompts
/// <c>[N, hidden]</c>, concatenated, token-averaged or token-wise (over all token pairs), computed in float64. Euclidean
/// similarity is <c>1 / (1 + distance)</c>; token-wise it takes the mean distance of the pairs, as the authors' code does.
/// </summary>
public static class PromptEmbeddingSimilarity
{
    /// <summary>The similarity of prompts <paramref name="a"/> <c>[N, hidden]</c> and <paramref name="b"/> <c>[M, hidden]</c>.</summary>
    /// <exception cref="ArgumentException">A prompt is not a matrix, the widths differ, or the lengths differ for <see cref="PromptEmbeddingView.Concatenated"/>.</exception>
    public static double Compute(Tensor a, Tensor b, PromptEmbeddingView view, VectorSimilarity similarity)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.dim() != 2 || b.dim() != 2)
            throw new ArgumentException($"Prompts must be [tokens, hidden] matrices, not [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        if (a.shape[1] != b.shape[1])
            throw new ArgumentException($"The prompts have different widths ({a.shape[1]} and {b.shape[1]}); prompts of different backbones need a projector first.");
        if (view == PromptEmbeddingView.Concatenated && a.shape[0] != b.shape[0])
            throw new ArgumentException($"The prompts have different lengths ({a.shape[0]} and {b.shape[0]} tokens); concatenated similarity needs equal lengths.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = a.detach().to(ScalarType.Float64, CPU);
        var y = b.detach().to(ScalarType.Float64, CPU);
        return view switch
        {
            PromptEmbeddingView.Concatenated => Between(x.flatten(), y.flatten(), similarity),
            PromptEmbeddingView.TokenAveraged => Between(x.mean([0]), y.mean([0]), similarity),
            PromptEmbeddingView.TokenWise => TokenWise(x, y, similarity),
            _ => throw new ArgumentOutOfRangeException(nameof(view), view, "Unknown prompt view."),
        };
    }

    /// <summary>The similarity of two vectors.</summary>
    private static double Between(Tensor u, Tensor v, VectorSimilarity similarity) => similarity switch
    {
        VectorSimilarity.Cosine => Cosine(u, v),
        VectorSimilarity.Euclidean => 1.0 / (1.0 + (u - v).norm().item<double>()),
        _ => throw new ArgumentOutOfRangeException(nameof(similarity), similarity, "Unknown similarity."),
    };

    private static double Cosine(Tensor u, Tensor v)
    {
        double norms = u.norm().item<double>() * v.norm().item<double>();
        return norms == 0 ? 0 : u.dot(v).item<double>() / norms;
    }

    /// <summary>Over all pairs (row i of x, row j of y): the mean cosine, or the similarity of the mean distance.</summary>
    private static double TokenWise(Tensor x, Tensor y, VectorSimilarity similarity) => similarity switch
    {
        VectorSimilarity.Cosine => nn.functional.normalize(x, p: 2, dim: 1).matmul(nn.functional.normalize(y, p: 2, dim: 1).t()).mean().item<double>(),
        VectorSimilarity.Euclidean => 1.0 / (1.0 + cdist(x, y).mean().item<double>()),
        _ => throw new ArgumentOutOfRangeException(nameof(similarity), similarity, "Unknown similarity."),
    };
}
