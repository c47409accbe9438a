namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

/// <summary>What <see cref="LocalHubServer"/> does wrong for a file, to test the client's failure handling.</summary>
public enum FakeHubFault
{
    /// <summary>Serves the file correctly.</summary>
    None,

    /// <summary>Announces the full length, sends half the body and closes the connection.</summary>
    Truncate,

    /// <summary>Answers HTTP 500.</summary>
    ServerError,

    /// <summary>Sends the headers and half the body, then stays silent until the client gives up.</summary>
    StallBody,

    /// <summary>Stays silent before sending any header.</summary>
    StallHeaders,

    /// <summary>Serves the file as a Git LFS file whose announced sha256 does not match the body.</summary>
    WrongChecksum,

    /// <summary>Sends an ETag that tries to climb out of the blobs folder.</summary>
    UnsafeETag,
}
