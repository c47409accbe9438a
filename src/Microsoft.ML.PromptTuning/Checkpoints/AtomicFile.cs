namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Writes a file so that readers see either the old file or the complete new one, never a partial write.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Lets <paramref name="write"/> fill a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it
    /// over <paramref name="path"/>; on failure the temporary file is deleted and any existing file is left untouched.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist, or is a file.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; the message names the file and the folder.</exception>
    /// <exception cref="IOException">The write failed (e.g. the disk is full); the message names the file and says the previous one is unchanged.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(File.Exists(folder)
                ? $"Cannot write '{fullPath}': '{folder}' is a file, not a folder."
                : $"Cannot write '{fullPath}': folder '{folder}' does not exist.");
        }
        // Same folder, hence same file system, so the final rename is atomic.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            WriteTemporary(temporary, write);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception exception)
        {
            TryDelete(temporary);
            if (Explain(exception, fullPath, folder) is { } explained)
                throw explained;
            throw;
        }
    }

    private static void WriteTemporary(string temporary, Action<Stream> write)
    {
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        try
        {
            write(stream);
            try
            {
                stream.Flush(flushToDisk: true);
            }
            catch (ArgumentOutOfRangeException exception)
            {
                // The runtime reports EFBIG (beyond the file system's or the process's file-size limit) this way.
                throw new IOException("the file is larger than the file system or the process's file-size limit allows", exception);
            }
        }
        catch
        {
            // Disposing flushes again what could not be written; that second failure must not hide the first.
            try
            {
                stream.Dispose();
            }
            catch (Exception)
            {
            }
            throw;
        }
        stream.Dispose();
    }

    // The runtime's messages name the temporary file; say which file was being written and that nothing was replaced.
    // Only the plain I/O failures are rewrapped: the writer's own exceptions (format errors, cancellation …) pass unchanged.
    private static Exception? Explain(Exception exception, string fullPath, string folder)
    {
        string unchanged = File.Exists(fullPath) ? "the previous file is unchanged" : "no file was written";
        if (exception is UnauthorizedAccessException)
            return new UnauthorizedAccessException($"Cannot write '{fullPath}': folder '{folder}' is not writable ({exception.Message}); {unchanged}.", exception);
        if (exception.GetType() == typeof(IOException))
            return new IOException($"Cannot write '{fullPath}': {exception.Message.TrimEnd('.')}; {unchanged}.", exception);
        return null;
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
