using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Prompts;

/// <summary>Exact comparisons of small tensors for the prompt tests.</summary>
internal static class PromptTensors
{
    /// <summary>Whether the tensors have the same shape and identical values.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape))
            return false;
        using Tensor equal = a.eq(b);
        using Tensor all = equal.all();
        return all.item<bool>();
    }

    /// <summary>The number of distinct rows of a matrix.</summary>
    public static int DistinctRows(Tensor matrix) =>
        Enumerable.Range(0, (int)matrix.shape[0]).Select(r => string.Join(",", matrix[r].data<float>().ToArray())).Distinct().Count();
}
