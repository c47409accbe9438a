using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>
/// Tensor arithmetic whose <see cref="Scalar"/> arguments stay reachable until libtorch has read them. TorchSharp 0.107 turns
/// every number (and the implicit <c>alpha = 1</c> of <c>a + b</c>; subtraction has none) into a temporary <see cref="Scalar"/> released only by
/// its finalizer, with nothing keeping it alive during the native call: a garbage collection started by another thread in
/// that window frees it under libtorch's feet ("alpha must not be a floating point number", "Unknown scalar type"). Serving
/// from several threads hit it a few times per 10,000 predictions. The hot paths (backbones, prompt splicing, optimiser)
/// use these instead of the operators.
/// </summary>
internal static class ScalarSafeOps
{
    /// <summary>The <c>alpha</c> of plain addition and subtraction, alive for the whole process.</summary>
    private static readonly Scalar One = 1;

    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a += b</c> in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><c>a + value</c> (keeps an integer tensor integral).</summary>
    public static Tensor Plus(this Tensor a, long value) =>
        With(value, s => a.add(s, One));

    /// <summary><c>a + value</c>.</summary>
    public static Tensor Plus(this Tensor a, double value) =>
        With(value, s => a.add(s, One));

    /// <summary><c>a * value</c> (keeps an integer tensor integral).</summary>
    public static Tensor Times(this Tensor a, long value) =>
        With(value, s => a.mul(s));

    /// <summary><c>a * value</c>.</summary>
    public static Tensor Times(this Tensor a, double value) =>
        With(value, s => a.mul(s));

    /// <summary><c>a / value</c>.</summary>
    public static Tensor DividedBy(this Tensor a, double value) =>
        With(value, s => a.div(s));

    /// <summary><c>a *= value</c> in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double value) =>
        With(value, s => a.mul_(s));

    /// <summary><c>a += b * scale</c> in place.</summary>
    public static Tensor PlusScaledInPlace(this Tensor a, Tensor b, double scale) =>
        With(scale, s => a.add_(b, s));

    /// <summary><c>a += value * t1 * t2</c> in place.</summary>
    public static Tensor PlusProductInPlace(this Tensor a, Tensor t1, Tensor t2, double value) =>
        With(value, s => a.addcmul_(t1, t2, s));

    /// <summary><c>a += value * t1 / t2</c> in place.</summary>
    public static Tensor PlusQuotientInPlace(this Tensor a, Tensor t1, Tensor t2, double value) =>
        With(value, s => a.addcdiv_(t1, t2, s));

    /// <summary><c>a == value</c>.</summary>
    public static Tensor EqualTo(this Tensor a, long value) =>
        With(value, s => a.eq(s));

    /// <summary><c>a != value</c>.</summary>
    public static Tensor NotEqualTo(this Tensor a, long value) =>
        With(value, s => a.ne(s));

    /// <summary><c>a &gt; value</c>.</summary>
    public static Tensor GreaterThan(this Tensor a, double value) =>
        With(value, s => a.gt(s));

    /// <summary><c>a &gt;= value</c>.</summary>
    public static Tensor AtLeast(this Tensor a, double value) =>
        With(value, s => a.ge(s));

    /// <summary><c>a &lt; value</c>.</summary>
    public static Tensor LessThan(this Tensor a, double value) =>
        With(value, s => a.lt(s));

    /// <summary><c>max(a, value)</c> elementwise (integral tensors stay integral).</summary>
    public static Tensor ClampMin(this Tensor a, long value) =>
        With(value, s => a.clamp_min(s));

    /// <summary><c>min(a, value)</c> elementwise (integral tensors stay integral).</summary>
    public static Tensor ClampMax(this Tensor a, long value) =>
        With(value, s => a.clamp_max(s));

    /// <summary><paramref name="a"/> with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor FilledWhere(this Tensor a, Tensor mask, double value) =>
        With(value, s => a.masked_fill(mask, s));

    /// <summary><paramref name="a"/> with <paramref name="value"/> where <paramref name="mask"/> is true (integral tensors stay integral).</summary>
    public static Tensor FilledWhere(this Tensor a, Tensor mask, long value) =>
        With(value, s => a.masked_fill(mask, s));

    /// <summary><c>[start, stop)</c> as int64 <c>[stop - start]</c>.</summary>
    public static Tensor Range(long start, long stop, Device device)
    {
        using var first = start.ToScalar();
        using var end = stop.ToScalar();
        return arange(first, end, One, ScalarType.Int64, device);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Filled(long[] shape, long value, ScalarType dtype, Device device) =>
        With(value, s => full(shape, s, dtype, device));

    // The scalar stays alive (the using) until the operation it is handed to has returned.
    private static Tensor With(long value, Func<Scalar, Tensor> operation)
    {
        using var scalar = value.ToScalar();
        return operation(scalar);
    }

    private static Tensor With(double value, Func<Scalar, Tensor> operation)
    {
        using var scalar = value.ToScalar();
        return operation(scalar);
    }
}
