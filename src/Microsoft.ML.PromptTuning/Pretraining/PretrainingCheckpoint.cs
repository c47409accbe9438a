using System.Text.Json;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// A resumable pre-training state in a folder: <c>model.safetensors</c> (float32), <c>optimizer.safetensors</c> and
/// <c>trainer_state.json</c>. Written to a sibling temp folder and swapped in, so a kill never leaves a half-written checkpoint.
/// </summary>
internal static class PretrainingCheckpoint
{
    private const string StateFile = "trainer_state.json";

    /// <summary>What the loop needs to continue: finished steps, tokens, elapsed time, the loss curve and the run's identity.</summary>
    internal sealed record State(int Step, long TokensSeen, double ElapsedSeconds, List<double> Losses, string RunIdentity);

    public static void Save(string directory, LanguageModel model, AdamW optimizer, State state)
    {
        string temp = directory + ".tmp";
        if (Directory.Exists(temp))
            Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        SafeTensors.Save(Path.Combine(temp, "model.safetensors"), model.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)));
        optimizer.Save(Path.Combine(temp, "optimizer.safetensors"));
        File.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state));
        string old = directory + ".old";
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
        if (Directory.Exists(directory))
            Directory.Move(directory, old);
        Directory.Move(temp, directory);
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
    }

    /// <summary>Restores model and optimizer from <paramref name="directory"/>; null when there is no complete checkpoint.</summary>
    public static State? TryLoad(string directory, LanguageModel model, AdamW optimizer, string runIdentity)
    {
        // A kill between the two moves of Save leaves only the previous checkpoint under ".old".
        if (!File.Exists(Path.Combine(directory, StateFile)) && File.Exists(Path.Combine(directory + ".old", StateFile)))
            directory += ".old";
        string statePath = Path.Combine(directory, StateFile);
        if (!File.Exists(statePath))
            return null;
        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(statePath))
            ?? throw new CheckpointFormatException(statePath, "empty trainer state.");
        if (state.RunIdentity != runIdentity)
            throw new InvalidOperationException(
                $"The checkpoint in {directory} belongs to a different run ({state.RunIdentity}); this run is ({runIdentity}). Use another output folder or delete the checkpoint.");
        using (var reader = SafeTensors.Open(Path.Combine(directory, "model.safetensors")))
            StateDictLoader.Load(model, reader, directory);
        optimizer.Load(Path.Combine(directory, "optimizer.safetensors"));
        return state;
    }
}
