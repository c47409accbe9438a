using System.Net;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// A file could not be downloaded from the hub or found in the cache: an HTTP error, a timeout, a truncated or corrupt
/// response, or a file missing from the cache in offline mode. The cache is left as it was before the attempt.
/// </summary>
public sealed class HubDownloadException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public HubDownloadException()
        : base("A file could not be downloaded from the Hugging Face Hub.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    public HubDownloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and the failure that caused it.</summary>
    public HubDownloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a response with an unsuccessful HTTP status.</summary>
    public HubDownloadException(string message, HttpStatusCode statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status the server answered with, when the failure was an unsuccessful response.</summary>
    public HttpStatusCode? StatusCode { get; }
}
