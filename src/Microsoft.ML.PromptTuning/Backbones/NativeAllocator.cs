using System.Runtime.InteropServices;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>
/// Keeps libtorch's large CPU buffers (activations, vocabulary-wide logits, gradients) in glibc's heap. By default glibc
/// serves every block over 32 MiB with a fresh <c>mmap</c> and unmaps it on free, so each training step page-faults its big
/// tensors in again: on a 2-core machine that made a 50k-vocabulary <c>log_softmax</c> 20× slower than the arithmetic and the
/// roberta-small pre-training step 1.5× slower. Reusing heap memory is what PyTorch users get from jemalloc/tcmalloc.
/// </summary>
/// <remarks>
/// Applied once, before the first backbone is created, on Linux with glibc only. The cost: memory freed by tensors is kept
/// for reuse (up to <see cref="TrimThresholdBytes"/> at the heap's top) instead of returned to the system. Skipped when the
/// user tunes malloc already (<c>MALLOC_*_</c> variables or <c>GLIBC_TUNABLES</c>) or sets
/// <c>PROMPT_TRANSFER_NATIVE_ALLOCATOR=default</c>.
/// </remarks>
public static class NativeAllocator
{
    private const int MallocTrimThreshold = -1;  // M_TRIM_THRESHOLD
    private const int MallocMmapMax = -4;        // M_MMAP_MAX
    private const int GlibcDefaultMmapMax = 65536;

    /// <summary>Free memory glibc keeps at the top of its heap before returning it to the system.</summary>
    public const int TrimThresholdBytes = 512 << 20;

    private static readonly Lazy<bool> Applied = new(() => Configure(reuseHeap: true));

    /// <summary>Whether large blocks now come from the heap (the tuning took effect in this process).</summary>
    public static bool IsTuned { get; private set; }

    /// <summary>Applies the tuning once per process; returns whether it is in effect.</summary>
    public static bool EnsureTuned() => Applied.Value;

    /// <summary>
    /// Switches between heap reuse (<paramref name="reuseHeap"/>) and glibc's defaults; for benchmarks that measure both in
    /// one run. Returns false where the platform or the user's own malloc settings leave it alone.
    /// </summary>
    public static bool Configure(bool reuseHeap)
    {
        if (!OperatingSystem.IsLinux() || UserTunesMalloc())
            return false;
        try
        {
            bool done = reuseHeap
                ? mallopt(MallocMmapMax, 0) == 1 && mallopt(MallocTrimThreshold, TrimThresholdBytes) == 1
                : mallopt(MallocMmapMax, GlibcDefaultMmapMax) == 1 && mallopt(MallocTrimThreshold, 128 * 1024) == 1;
            IsTuned = done && reuseHeap;
            return done;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // not glibc (e.g. musl): its allocator has no such knobs
        }
    }

    private static bool UserTunesMalloc()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("PROMPT_TRANSFER_NATIVE_ALLOCATOR"), "default", StringComparison.OrdinalIgnoreCase)
            || Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is not null)
            return true;
        foreach (string name in Environment.GetEnvironmentVariables().Keys)
            if (name.StartsWith("MALLOC_", StringComparison.Ordinal) && name.EndsWith('_'))
                return true;
        return false;
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
