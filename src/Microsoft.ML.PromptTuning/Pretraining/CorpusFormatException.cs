namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>A corpus source file cannot be read as its format says; the message names the file, the line and the problem.</summary>
/// <remarks>
/// Derives from <see cref="IOException"/> because <see cref="InvalidDataException"/> is sealed; code that handles failed
/// file reads with <c>catch (IOException)</c> therefore sees it too.
/// </remarks>
public sealed class CorpusFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>, at <paramref name="lineNumber"/> when the problem has one.</summary>
    public CorpusFormatException(string filePath, long? lineNumber, string problem, Exception? innerException = null)
        : base(lineNumber is { } line ? $"{filePath}, line {line}: {problem}" : $"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The file that is malformed.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line where the problem was found, or null when it concerns the whole file.</summary>
    public long? LineNumber { get; }

    /// <summary>What is wrong, without the file name and line.</summary>
    public string Problem { get; }
}
