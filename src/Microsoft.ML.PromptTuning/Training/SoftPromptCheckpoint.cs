using System.Text.Json;
using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>
/// The resumable state of prompt training in a folder: the current and best prompts (<c>prompt.safetensors</c>), the
/// optimizer (<c>optimizer.safetensors</c>) and the loop state (<c>trainer_state.json</c>), swapped in atomically.
/// </summary>
internal static class SoftPromptCheckpoint
{
    private const string StateFile = "trainer_state.json";

    /// <summary>The loop's state; <see cref="BestPrompt"/> is a CPU copy owned here.</summary>
    internal sealed record State
    {
        public required string Identity { get; init; }
        public int Step { get; set; }
        public double ElapsedSeconds { get; init; }
        public List<LearningCurvePoint> Curve { get; init; } = new();
        /// <summary>Training losses since the last curve point (their mean becomes the next point's loss).</summary>
        public List<double> PendingLosses { get; init; } = new();
        public double? BestMetric { get; set; }
        public int? BestStep { get; set; }
        public int EvaluationsWithoutImprovement { get; set; }
        public bool StoppedEarly { get; set; }
        public double? LatestMetric => Curve.LastOrDefault(p => p.ValidationMetric is not null)?.ValidationMetric;
        [System.Text.Json.Serialization.JsonIgnore] public Tensor? BestPrompt { get; set; }

        /// <summary>Adds a curve point; keeps the prompt when its metric is the best so far; counts toward early stopping.</summary>
        public void RecordPoint(LearningCurvePoint point, Tensor prompt, int? patience)
        {
            Curve.Add(point);
            if (point.ValidationMetric is not double metric)
                return;
            if (BestMetric is null || metric > BestMetric)
            {
                BestMetric = metric;
                BestStep = point.Step;
                EvaluationsWithoutImprovement = 0;
                BestPrompt?.Dispose();
                BestPrompt = prompt.detach().cpu().clone().DetachFromDisposeScope();
            }
            else if (patience is int limit && ++EvaluationsWithoutImprovement >= limit)
            {
                StoppedEarly = true;
            }
        }

        public SoftPromptTrainingResult ToResult(bool validated, Tensor prompt, TimeSpan wallTime)
        {
            var kept = validated && BestPrompt is not null ? BestPrompt : prompt.detach().cpu().clone();
            if (!ReferenceEquals(kept, BestPrompt))
                BestPrompt?.Dispose();
            return new SoftPromptTrainingResult(kept.DetachFromDisposeScope(), Curve, Step, validated ? BestStep : null, validated ? BestMetric : null, StoppedEarly, wallTime);
        }
    }

    public static State Fresh(string identity) => new() { Identity = identity };

    public static void Save(string directory, Tensor prompt, AdamW optimizer, State state) =>
        CheckpointDirectory.Write(directory, folder =>
        {
            var tensors = new List<KeyValuePair<string, Tensor>> { new("prompt", prompt.detach().cpu()) };
            if (state.BestPrompt is not null)
                tensors.Add(new("best_prompt", state.BestPrompt));
            SafeTensors.Save(Path.Combine(folder, "prompt.safetensors"), tensors);
            optimizer.Save(Path.Combine(folder, "optimizer.safetensors"));
            File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(state));
        });

    /// <summary>Restores prompt and optimizer from the folder; null when there is no complete checkpoint or no folder was given.</summary>
    public static State? TryLoad(string? directory, Parameter prompt, AdamW optimizer, string identity)
    {
        if (directory is null || CheckpointDirectory.Latest(directory, StateFile) is not string latest)
            return null;
        directory = latest;
        string statePath = Path.Combine(directory, StateFile);
        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(statePath)) ?? throw new CheckpointFormatException(statePath, "empty trainer state.");
        if (state.Identity != identity)
            throw new InvalidOperationException($"The checkpoint in {directory} belongs to a different run ({state.Identity}); this run is ({identity}). Use another checkpoint folder or delete it.");
        using (var reader = SafeTensors.Open(Path.Combine(directory, "prompt.safetensors")))
        {
            using (no_grad())
            using (var saved = reader.Read("prompt"))
                prompt.copy_(saved);
            if (reader.Names.Contains("best_prompt"))
                state.BestPrompt = reader.Read("best_prompt").DetachFromDisposeScope();
        }
        optimizer.Load(Path.Combine(directory, "optimizer.safetensors"));
        return state;
    }
}
