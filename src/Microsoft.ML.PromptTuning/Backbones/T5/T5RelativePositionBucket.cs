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
        var queryPositions = ScalarSafeOps.Range(0, queryLength, device).unsqueeze(1);
        var keyPositions = ScalarSafeOps.Range(0, keyLength, device).unsqueeze(0);
        var relative = keyPositions - queryPositions;
        var buckets = zeros_like(relative);
        if (bidirectional)
        {
            numBuckets /= 2;
            buckets = buckets.Plus(relative.GreaterThan(0).to(ScalarType.Int64).Times((long)numBuckets));
            relative = relative.abs();
        }
        else
        {
            relative = -minimum(relative, zeros_like(relative));
        }
        int maxExact = numBuckets / 2;
        var isSmall = relative.LessThan(maxExact);
        // The operations in transformers' order, so rounding (and so the bucket at each boundary) is the same.
        var large = log(relative.to(ScalarType.Float32).DividedBy(maxExact)).DividedBy(Math.Log((double)maxDistance / maxExact)).Times((double)(numBuckets - maxExact)).to(ScalarType.Int64).Plus((long)maxExact);
        large = large.ClampMax(numBuckets - 1);
        return buckets.Plus(where(isSmall, relative, large)).MoveToOuterDisposeScope();
    }
}
