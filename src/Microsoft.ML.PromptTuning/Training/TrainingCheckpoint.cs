using System.Text.Json;
using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>
/// The resumable state of a <see cref="TrainingLoop"/> in a folder: the current and best parameters
/// (<c>parameters.safetensors</c>, the best ones prefixed <c>best.</c>), the optimizer (<c>optimizer.safetensors</c>) and the
/// loop state (<c>trainer_state.json</c>), swapped in atomically.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string StateFile = "trainer_state.json";
    private const string ParametersFile = "parameters.safetensors";
    private const string BestPrefix = "best.";

    /// <summary>The loop's state; <see cref="BestParameters"/> are CPU copies owned here.</summary>
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
        /// <summary>Batches skipped so far because their loss or gradient was not finite.</summary>
        public int SkippedNonFiniteSteps { get; set; }
        public double? LatestMetric => Curve.LastOrDefault(p => p.ValidationMetric is not null)?.ValidationMetric;
        [System.Text.Json.Serialization.JsonIgnore] public Dictionary<string, Tensor>? BestParameters { get; set; }

        /// <summary>Adds a curve point; keeps the parameters when its metric is the best so far; counts toward early stopping.</summary>
        public void RecordPoint(LearningCurvePoint point, IReadOnlyList<(string Name, Parameter Parameter)> parameters, int? patience)
        {
            Curve.Add(point);
            if (point.ValidationMetric is not double metric)
                return;
            if (BestMetric is null || metric > BestMetric)
            {
                BestMetric = metric;
                BestStep = point.Step;
                EvaluationsWithoutImprovement = 0;
                DisposeBest();
                BestParameters = Copy(parameters);
            }
            else if (patience is int limit && ++EvaluationsWithoutImprovement >= limit)
            {
                StoppedEarly = true;
            }
        }

        /// <summary>The outcome: the best validated parameters, or the current ones without validation.</summary>
        public TrainingOutcome ToOutcome(bool validated, IReadOnlyList<(string Name, Parameter Parameter)> parameters, TimeSpan wallTime)
        {
            var kept = validated && BestParameters is not null ? BestParameters : Copy(parameters);
            if (!ReferenceEquals(kept, BestParameters))
                DisposeBest();
            BestParameters = null;
            return new TrainingOutcome(kept, Curve, Step, validated ? BestStep : null, validated ? BestMetric : null, StoppedEarly, wallTime);
        }

        private void DisposeBest()
        {
            foreach (var tensor in BestParameters?.Values ?? Enumerable.Empty<Tensor>())
                tensor.Dispose();
        }

        private static Dictionary<string, Tensor> Copy(IReadOnlyList<(string Name, Parameter Parameter)> parameters)
        {
            // The scope disposes the intermediate detach/cpu views; only the clones leave it.
            using var scope = NewDisposeScope();
            return parameters.ToDictionary(p => p.Name, p => p.Parameter.detach().cpu().clone().DetachFromDisposeScope(), StringComparer.Ordinal);
        }
    }

    public static State Fresh(string identity) => new() { Identity = identity };

    public static void Save(string directory, IReadOnlyList<(string Name, Parameter Parameter)> parameters, AdamW optimizer, State state) =>
        CheckpointDirectory.Write(directory, folder =>
        {
            using var scope = NewDisposeScope();
            var tensors = parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Parameter.detach().cpu())).ToList();
            foreach (var (name, best) in state.BestParameters ?? new Dictionary<string, Tensor>())
                tensors.Add(new(BestPrefix + name, best));
            SafeTensors.Save(Path.Combine(folder, ParametersFile), tensors);
            optimizer.Save(Path.Combine(folder, "optimizer.safetensors"));
            File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(state));
        });

    /// <summary>Restores parameters and optimizer from the folder; null when there is no complete checkpoint or no folder was given.</summary>
    public static State? TryLoad(string? directory, IReadOnlyList<(string Name, Parameter Parameter)> parameters, AdamW optimizer, string identity)
    {
        if (directory is null || CheckpointDirectory.Latest(directory, StateFile) is not string latest)
            return null;
        directory = latest;
        string statePath = Path.Combine(directory, StateFile);
        State state;
        try
        {
            state = JsonSerializer.Deserialize<State>(File.ReadAllText(statePath)) ?? throw new CheckpointFormatException(statePath, "empty trainer state.");
        }
        catch (JsonException e)
        {
            // Checkpoints are swapped in whole, so this is damage from outside (an edit, a failing disk), not an interrupted save.
            throw new CheckpointFormatException(statePath, $"the trainer state is not valid JSON ({e.Message}); delete the checkpoint folder to start over.", e);
        }
        if (state.Identity != identity)
            throw new InvalidOperationException($"The checkpoint in {directory} belongs to a different run ({state.Identity}); this run is ({identity}). Use another checkpoint folder or delete it.");
        string parametersPath = Path.Combine(directory, ParametersFile);
        using (var reader = SafeTensors.Open(parametersPath))
        {
            foreach (var (name, parameter) in parameters)
            {
                if (!reader.Names.Contains(name))
                    throw new CheckpointFormatException(parametersPath, $"no tensor for parameter '{name}'.");
                using (no_grad())
                using (var saved = reader.Read(name))
                    parameter.copy_(saved);
            }
            var best = reader.Names.Where(n => n.StartsWith(BestPrefix, StringComparison.Ordinal)).ToList();
            if (best.Count > 0)
                state.BestParameters = best.ToDictionary(n => n[BestPrefix.Length..], n => reader.Read(n).DetachFromDisposeScope(), StringComparer.Ordinal);
        }
        optimizer.Load(Path.Combine(directory, "optimizer.safetensors"));
        return state;
    }
}
