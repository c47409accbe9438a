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
    private static readonly Dictionary<string, (SoftPromptPredictor Predictor, SoftPromptState State)> ByPromptHash = new(StringComparer.Ordinal);

    /// <summary>The predictor for a serialized state (parsed and verified on first use).</summary>
    public static (SoftPromptPredictor Predictor, SoftPromptState State) Get(string serializedState)
    {
        string key = Fingerprint(serializedState);
        lock (ByPromptHash)
        {
            if (!ByPromptHash.TryGetValue(key, out var loaded))
            {
                var state = SoftPromptState.Parse(serializedState);
                loaded = (Create(state), state);
                ByPromptHash[key] = loaded;
            }
            return loaded;
        }
    }

    /// <summary>Builds the predictor a state describes on the CPU (or the device of an already loaded backbone).</summary>
    public static SoftPromptPredictor Create(SoftPromptState state, Device? device = null)
    {
        var (backbone, directory) = BackboneCache.Acquire(state.BackbonePath, device ?? CPU);
        string sha = BackboneCache.WeightsSha256(directory);
        if (sha != state.BackboneSha256)
        {
            BackboneCache.Release(backbone);
            throw new InvalidDataException(
                $"The backbone at {directory} is not the one the soft prompt was trained on: its weights' SHA-256 is {sha}, the model recorded {state.BackboneSha256}.");
        }
        if (backbone.HiddenSize != state.HiddenSize || backbone.ModelType != state.ModelType)
        {
            BackboneCache.Release(backbone);
            throw new InvalidDataException($"The backbone at {directory} is a {backbone.ModelType} of width {backbone.HiddenSize}; the prompt needs a {state.ModelType} of width {state.HiddenSize}.");
        }
        var template = PromptTemplate.Parse(state.Template);
        var classifier = TargetClassifier.Create(backbone, directory, template, LabelWords.FromJson(state.LabelWords), state.MultiTokenHandling, state.MaxLength);
        using var prompt = state.Prompt();
        return new SoftPromptPredictor(classifier, new TextColumnBinding(template, state.TextColumns), prompt, state.BatchSize);
    }

    // The state string is rebuilt for every row by the mapping; its recorded hashes identify it without re-parsing the prompt.
    private static string Fingerprint(string serializedState)
    {
        int start = serializedState.IndexOf("\"PromptSha256\"", StringComparison.Ordinal);
        int backbone = serializedState.IndexOf("\"BackboneSha256\"", StringComparison.Ordinal);
        return start < 0 || backbone < 0
            ? serializedState
            : serializedState.Substring(start, Math.Min(90, serializedState.Length - start)) + serializedState.Substring(backbone, Math.Min(90, serializedState.Length - backbone)) + serializedState.Length;
    }
}
