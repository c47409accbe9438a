namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// An exclusive lock on a corpus folder (<c>corpus.lock</c>, held open without sharing) so that two builds, in this process or
/// another, never write the same folder at once; a second build waits and then finds the first one's corpus current.
/// </summary>
internal sealed class CorpusBuildLock : IDisposable
{
    public const string FileName = "corpus.lock";
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    private readonly FileStream _file;

    private CorpusBuildLock(FileStream file) => _file = file;

    /// <summary>Takes the lock on <paramref name="directory"/>, waiting while another build holds it.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public static CorpusBuildLock Acquire(string directory, CancellationToken cancellationToken)
    {
        string path = Path.Combine(directory, FileName);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new CorpusBuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by another build: wait for it.
                cancellationToken.WaitHandle.WaitOne(RetryInterval);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
