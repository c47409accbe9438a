using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>A Distance Minimizing example: a source-model prompt and a target-model prompt trained on the same task.</summary>
public sealed record PromptPair(SoftPrompt Source, SoftPrompt Target);
