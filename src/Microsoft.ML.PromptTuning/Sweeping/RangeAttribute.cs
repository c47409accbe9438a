namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>
/// A numeric search dimension, shaped like <c>Microsoft.ML.SearchSpace.RangeAttribute</c> (min, max, init, logBase) so a
/// search-space class moves to AutoML by swapping the namespace; that package is not a dependency of this library.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute : Attribute
{
    public RangeAttribute(int min, int max, int init, bool logBase = false) : this((double)min, max, init, logBase) => IsInteger = true;

    public RangeAttribute(double min, double max, double init, bool logBase = false)
    {
        if (!(min < max)) throw new ArgumentException($"Range min ({min}) must be below max ({max}).");
        if (init < min || init > max) throw new ArgumentException($"Range init ({init}) must lie in [{min}, {max}].");
        if (logBase && !(min > 0)) throw new ArgumentException($"A log-scale range needs a positive min ({min}).");
        (Min, Max, Init, LogBase) = (min, max, init, logBase);
    }

    public double Min { get; }

    public double Max { get; }

    /// <summary>The default value (the first grid point and the value of untuned trials).</summary>
    public double Init { get; }

    /// <summary>Sample and spread grid points uniformly in log space.</summary>
    public bool LogBase { get; }

    /// <summary>Whether the values are integers (the <c>int</c> constructor).</summary>
    public bool IsInteger { get; }
}
