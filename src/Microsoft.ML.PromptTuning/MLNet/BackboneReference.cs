namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>A backbone as a saved model refers to it: the folder or hub id the user gave, and the folder it resolved to.</summary>
internal sealed record BackboneReference(string NameOrPath, string Directory);
