using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.ML.PromptTuning.Prompts;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>
/// Turns stored states into ready predictors, once per distinct state: the backbone comes from <see cref="BackboneCache"/>
/// (its weights' SHA-256 checked against the recorded one) and the prompt's bytes are verified.
/// </summary>
internal static class LoadedSoftPrompts
{
    // Keyed by the whole state, not by the hashes it records: those are claims of the (untrusted) zip, so two states that
    // differ anywhere — a tampered prompt, other label words, another backbone path — must never share a predictor.
    // Hashing the string per row costs far less than scoring the row.
    private static readonly ConcurrentDictionary<string, (SoftPromptPredictor Predictor, SoftPromptState State)> ByState = new(StringComparer.Ordinal);
    private static readonly Lock Creating = new();

    /// <summary>The predictor for a serialized state (parsed and verified on first use; a failure is not cached).</summary>
    public static (SoftPromptPredictor Predictor, SoftPromptState State) Get(string serializedState)
    {
        if (ByState.TryGetValue(serializedState, out var loaded))
            return loaded;
        lock (Creating)
        {
            if (!ByState.TryGetValue(serializedState, out loaded))
            {
                var state = SoftPromptState.Parse(serializedState);
                loaded = (Create(state), state);
                ByState[serializedState] = loaded;
            }
            return loaded;
        }
    }

    /// <summary>
    /// Builds the predictor a state describes on <paramref name="device"/> (default the CPU, or the device of an already
    /// loaded backbone); it holds one reference to the backbone in <see cref="BackboneCache"/>, released on any failure here.
    /// </summary>
    public static SoftPromptPredictor Create(SoftPromptState state, Device? device = null)
    {
        var (backbone, directory) = BackboneCache.Acquire(state.BackboneLocation(), device ?? CPU);
        try
        {
            string sha = BackboneCache.WeightsSha256(directory);
            if (sha != state.BackboneSha256)
                throw new InvalidDataException(
                    $"The backbone at {directory} is not the one the soft prompt was trained on: its weights' SHA-256 is {sha}, the model recorded {state.BackboneSha256}.");
            if (backbone.HiddenSize != state.HiddenSize || backbone.ModelType != state.ModelType)
                throw new InvalidDataException($"The backbone at {directory} is a {backbone.ModelType} of width {backbone.HiddenSize}; the prompt needs a {state.ModelType} of width {state.HiddenSize}.");
            var template = PromptTemplate.Parse(state.Template);
            var classifier = TargetClassifier.Create(backbone, directory, template, LabelWords.FromJson(state.LabelWords), state.MultiTokenHandling, state.MaxLength);
            using var prompt = state.Prompt();
            return new SoftPromptPredictor(classifier, new TextColumnBinding(template, state.TextColumns), prompt, state.BatchSize);
        }
        catch
        {
            BackboneCache.Release(backbone);
            throw;
        }
    }
}
