namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// A cancellation source that fires when the server stays silent for longer than the limit; restarted before every
/// wait, so a large file may take as long as it needs while it keeps arriving.
/// </summary>
internal sealed class InactivityTimeout : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly CancellationToken caller;

    // The longest delay a CancellationTokenSource timer takes (about 49.7 days).
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    /// <summary>Creates a timeout of <paramref name="limit"/> linked to the caller's token; a limit beyond the timer's range
    /// (a huge <c>HF_HUB_DOWNLOAD_TIMEOUT</c> meaning "never") is infinite.</summary>
    public InactivityTimeout(TimeSpan limit, CancellationToken caller)
    {
        Limit = limit > LongestTimer ? Timeout.InfiniteTimeSpan : limit;
        this.caller = caller;
        source = CancellationTokenSource.CreateLinkedTokenSource(caller);
    }

    /// <summary>The longest silence allowed.</summary>
    public TimeSpan Limit { get; }

    /// <summary>Cancelled when the caller cancels or the limit passes without a <see cref="Restart"/>.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>The caller's own token, for work that is not a wait on the server (writing to disk).</summary>
    public CancellationToken CallerToken => caller;

    /// <summary>Whether the limit passed (as opposed to the caller cancelling).</summary>
    public bool HasExpired => source.IsCancellationRequested && !caller.IsCancellationRequested;

    /// <summary>Starts the limit over, before waiting for the server again.</summary>
    public void Restart()
    {
        if (Limit != Timeout.InfiniteTimeSpan)
            source.CancelAfter(Limit);
    }

    /// <summary>Throws the caller's cancellation when the caller cancelled.</summary>
    public void ThrowIfCallerCancelled() => caller.ThrowIfCancellationRequested();

    /// <summary>Releases the timer.</summary>
    public void Dispose() => source.Dispose();
}
