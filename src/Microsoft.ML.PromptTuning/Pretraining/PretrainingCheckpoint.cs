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

    public static void Save(string directory, LanguageModel model, AdamW optimizer, State state) =>
        CheckpointDirectory.Write(directory, folder =>
        {
            SafeTensors.Save(Path.Combine(folder, "model.safetensors"), model.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)));
            optimizer.Save(Path.Combine(folder, "optimizer.safetensors"));
            File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(state));
        });

    /// <summary>Restores model and optimizer from <paramref name="directory"/>; null when there is no complete checkpoint.</summary>
    public static State? TryLoad(string directory, LanguageModel model, AdamW optimizer, string runIdentity)
    {
        if (CheckpointDirectory.Latest(directory, StateFile) is not string latest)
            return null;
        directory = latest;
        string statePath = Path.Combine(directory, StateFile);
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
