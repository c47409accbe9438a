using TorchSharp;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>
/// Scalars that live as long as the process, for the constant operands of tensor operations (and the <c>alpha</c> that
/// <c>a + b</c> passes implicitly).
/// </summary>
/// <remarks>
/// TorchSharp 0.107 gives the native operation only the handle of the <see cref="Scalar"/> that an implicit conversion or a
/// default argument creates, and leaves that Scalar to the garbage collector: the finalizer may free it while the operation
/// still reads it. Under concurrent predictions this surfaced as <c>Expected false to be true</c> from
/// <c>c10::Scalar::toDouble</c> (and would as silently wrong values). Operations on the hot paths therefore take rooted
/// scalars from here, or per-call ones held by a <c>using</c> until the operation has returned. Native scalars are
/// immutable, so sharing these between threads is safe.
/// </remarks>
internal static class RootedScalars
{
    public static readonly Scalar Zero = 0.ToScalar();

    public static readonly Scalar One = 1.ToScalar();
}
