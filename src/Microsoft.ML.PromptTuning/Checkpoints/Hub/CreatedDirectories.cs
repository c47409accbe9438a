namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// Creates cache folders and remembers which ones did not exist before, so that a failed download can remove them again
/// and leave the cache as it found it.
/// </summary>
internal sealed class CreatedDirectories
{
    // Outermost first, in the order they were created.
    private readonly List<string> created = [];

    /// <summary>Creates <paramref name="path"/> and any missing parent, remembering each one created.</summary>
    public void Ensure(string path)
    {
        var missing = new Stack<string>();
        for (string? folder = Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
            missing.Push(folder);
        Directory.CreateDirectory(path);
        created.AddRange(missing);
    }

    /// <summary>Removes, innermost first, the folders created here that are still empty; failures are ignored.</summary>
    public void RemoveEmpty()
    {
        for (int i = created.Count - 1; i >= 0; i--)
        {
            try
            {
                if (Directory.Exists(created[i]) && !Directory.EnumerateFileSystemEntries(created[i]).Any())
                    Directory.Delete(created[i]);
            }
            catch (IOException)
            {
                // Another download may be filling the folder at this moment; it is then no longer ours to remove.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
