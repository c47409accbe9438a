namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>A checkpoint file is malformed, truncated or hostile; the message names the file and the problem.</summary>
/// <remarks>
/// Derives from <see cref="IOException"/> because <see cref="InvalidDataException"/> is sealed; code that handles failed
/// file loads with <c>catch (IOException)</c> therefore sees it too.
/// </remarks>
public sealed class CheckpointFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with a message describing <paramref name="problem"/>.</summary>
    public CheckpointFormatException(string filePath, string problem)
        : base($"{filePath}: {problem}")
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Creates the exception for <paramref name="filePath"/>, keeping the lower-level error that revealed the problem.</summary>
    public CheckpointFormatException(string filePath, string problem, Exception innerException)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that is malformed.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with the file, without the file name.</summary>
    public string Problem { get; }
}
