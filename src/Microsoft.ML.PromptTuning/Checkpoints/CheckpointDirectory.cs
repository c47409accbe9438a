namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>
/// A training checkpoint kept as a folder that is replaced whole: written into a sibling <c>.tmp</c> folder, then swapped in
/// (the previous one parked as <c>.old</c> until the swap is done), so a kill at any moment leaves one complete checkpoint.
/// </summary>
internal static class CheckpointDirectory
{
    /// <summary>Writes a new checkpoint with <paramref name="write"/> (given the folder to fill) and swaps it in.</summary>
    public static void Write(string directory, Action<string> write)
    {
        string temp = directory + ".tmp";
        string old = directory + ".old";
        // A kill between the two moves below leaves only ".old"; put it back first, so that there is a complete checkpoint
        // under one of the two names at every moment of this write too.
        if (!Directory.Exists(directory) && Directory.Exists(old))
            Directory.Move(old, directory);
        try
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
            Directory.CreateDirectory(temp);
            write(temp);
        }
        catch (Exception exception)
        {
            // A failed write (disk full, read-only folder) leaves the previous checkpoint as it was and no partial one.
            TryDelete(temp);
            string problem = $"Could not save the checkpoint {directory} ({exception.Message}); the previous checkpoint, if any, is unchanged.";
            if (exception is UnauthorizedAccessException)
                throw new UnauthorizedAccessException(problem, exception);
            if (exception.GetType() == typeof(IOException))
                throw new IOException(problem, exception);
            throw;
        }
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
        if (Directory.Exists(directory))
            Directory.Move(directory, old);
        Directory.Move(temp, directory);
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
    }

    /// <summary>The folder holding the latest complete checkpoint (the one with <paramref name="markerFile"/>), or null when there is none.</summary>
    public static string? Latest(string directory, string markerFile)
    {
        if (File.Exists(Path.Combine(directory, markerFile)))
            return directory;
        // A kill between the two moves of Write leaves the previous checkpoint under ".old".
        string old = directory + ".old";
        return File.Exists(Path.Combine(old, markerFile)) ? old : null;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
