using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>T5's bucketing of relative positions: exact for small distances, logarithmic up to a maximum distance.</summary>
internal static class T5RelativePositionBucket
{
    /// <summary>
    /// Bucket ids <c>[queries, keys]</c> for <c>key − query</c> offsets. Bidirectional (encoder) buckets split by sign;
    /// unidirectional (decoder) buckets only count how far back a key is.
    /// </summary>
    public static Tensor Compute(long queryLength, long keyLength, bool bidirectional, int numBuckets, int maxDistance, Device device)
    {
        using var scope = NewDisposeScope();
        // Every constant is an explicit scalar held until the operations return: see RootedScalars.
        using Scalar queries = queryLength.ToScalar(), keys = keyLength.ToScalar();
        var queryPositions = arange(RootedScalars.Zero, queries, RootedScalars.One, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var keyPositions = arange(RootedScalars.Zero, keys, RootedScalars.One, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var relative = keyPositions.sub(queryPositions);
        var buckets = zeros_like(relative);
        if (bidirectional)
        {
            numBuckets /= 2;
            using var half = numBuckets.ToScalar();
            buckets = buckets.add(relative.gt(RootedScalars.Zero).to(ScalarType.Int64).mul(half), RootedScalars.One);
            relative = relative.abs();
        }
        else
        {
            relative = minimum(relative, zeros_like(relative)).neg();
        }
        int maxExact = numBuckets / 2;
        using Scalar exact = maxExact.ToScalar(), logRange = Math.Log((double)maxDistance / maxExact).ToScalar(),
            span = (numBuckets - maxExact).ToScalar(), last = (numBuckets - 1).ToScalar();
        var isSmall = relative.lt(exact);
        var large = log(relative.to(ScalarType.Float32).div(exact)).div(logRange).mul(span).to(ScalarType.Int64).add(exact, RootedScalars.One);
        large = minimum(large, full_like(large, last));
        return buckets.add(where(isSmall, relative, large), RootedScalars.One).MoveToOuterDisposeScope();
    }
}
