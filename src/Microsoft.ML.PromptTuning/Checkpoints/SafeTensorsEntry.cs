namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>One validated tensor of a safetensors header: its description and byte range within the data section.</summary>
/// <param name="Info">Name, dtype and shape.</param>
/// <param name="Begin">First byte, relative to the start of the data section (after the header).</param>
/// <param name="End">One past the last byte, relative to the start of the data section.</param>
internal sealed record SafeTensorsEntry(TensorInfo Info, long Begin, long End);
