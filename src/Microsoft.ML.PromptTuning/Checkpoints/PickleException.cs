namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>A pickle stream is malformed or asks for something the restricted unpickler refuses.</summary>
/// <remarks>Internal: <see cref="RestrictedUnpickler.Load"/> turns it into a <see cref="CheckpointFormatException"/> naming the file and byte position.</remarks>
internal sealed class PickleException(string message) : Exception(message);
