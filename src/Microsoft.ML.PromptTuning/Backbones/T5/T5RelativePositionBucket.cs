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
        var queryPositions = arange(queryLength, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var keyPositions = arange(keyLength, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var relative = keyPositions - queryPositions;
        var buckets = zeros_like(relative);
        if (bidirectional)
        {
            numBuckets /= 2;
            buckets = buckets + relative.gt(0).to(ScalarType.Int64) * numBuckets;
            relative = relative.abs();
        }
        else
        {
            relative = -minimum(relative, zeros_like(relative));
        }
        int maxExact = numBuckets / 2;
        var isSmall = relative.lt(maxExact);
        var large = maxExact + (log(relative.to(ScalarType.Float32) / maxExact) / Math.Log((double)maxDistance / maxExact) * (numBuckets - maxExact)).to(ScalarType.Int64);
        large = minimum(large, full_like(large, numBuckets - 1));
        return (buckets + where(isSmall, relative, large)).MoveToOuterDisposeScope();
    }
}
