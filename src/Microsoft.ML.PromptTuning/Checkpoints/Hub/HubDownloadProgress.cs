namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>How far the download of one file has come.</summary>
/// <param name="FileName">The file inside the repository, e.g. <c>model.safetensors</c>.</param>
/// <param name="BytesDownloaded">The bytes received so far.</param>
/// <param name="TotalBytes">The file's size when the server announced it; otherwise null.</param>
public readonly record struct HubDownloadProgress(string FileName, long BytesDownloaded, long? TotalBytes);
