namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// Puts a blob into a snapshot folder the way huggingface_hub does: a relative symbolic link
/// (<c>snapshots/&lt;commit&gt;/config.json → ../../blobs/&lt;etag&gt;</c>), or a copy where links cannot be created.
/// </summary>
internal static class SnapshotLinker
{
    /// <summary>Makes <paramref name="snapshotFile"/> show <paramref name="blobPath"/>, replacing whatever was there in one step.</summary>
    public static void Link(string blobPath, string snapshotFile)
    {
        string folder = Path.GetDirectoryName(snapshotFile)!;
        string temporary = snapshotFile + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            try
            {
                File.CreateSymbolicLink(temporary, Path.GetRelativePath(folder, blobPath));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                // Windows without developer mode, or a file system without links: the snapshot gets its own copy.
                File.Copy(blobPath, temporary);
            }
            // A rename moves the link itself and replaces a stale entry atomically.
            File.Move(temporary, snapshotFile, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
