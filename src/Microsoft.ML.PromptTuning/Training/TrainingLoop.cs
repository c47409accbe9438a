using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>
/// The optimisation loop shared by every trainer that produces a prompt (the prompt itself, or a projector mapping one):
/// AdamW on named parameters under a <see cref="LearningRateSchedule"/>, gradient clipping, periodic validation keeping the
/// best parameters, early stopping, resumable checkpoints, progress, cancellation, and a stop with the last finite prompt
/// when the loss or the gradient turns NaN/Inf (or, with <see cref="SoftPromptTrainerOptions.MaxSkippedNonFiniteSteps"/>,
/// up to that many such batches skipped first). Each step runs in its own dispose scope.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly SoftPromptTrainerOptions _options;
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> _parameters;
    private readonly string _identity;

    /// <param name="options">Hyper-parameters, validation cadence and checkpointing.</param>
    /// <param name="parameters">What is optimised; the names key the checkpoint.</param>
    /// <param name="identity">Describes the run; a checkpoint written by another run is refused.</param>
    public TrainingLoop(SoftPromptTrainerOptions options, IReadOnlyList<(string Name, Parameter Parameter)> parameters, string identity)
    {
        _options = options;
        _parameters = parameters;
        _identity = identity;
    }

    /// <summary>
    /// Runs up to <paramref name="maxSteps"/> steps from the checkpoint (if any). <paramref name="stepLoss"/> gives the
    /// differentiable loss of a 0-based step, <paramref name="validate"/> the validation metric (higher is better; null
    /// without validation) and <paramref name="currentPrompt"/> the prompt the parameters produce, kept when the loss is not finite.
    /// </summary>
    public TrainingOutcome Run(int maxSteps, Func<int, Tensor> stepLoss, Func<double>? validate, Func<Tensor> currentPrompt,
        IProgress<SoftPromptTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        using var optimizer = new AdamW(_parameters, _options.WeightDecay);
        var schedule = new LearningRateSchedule(_options.LearningRate, _options.WarmupSteps, maxSteps, _options.LinearDecay);
        var state = TrainingCheckpoint.TryLoad(_options.CheckpointDirectory, _parameters, optimizer, _identity) ?? TrainingCheckpoint.Fresh(_identity);
        var watch = Stopwatch.StartNew();
        double elapsedBefore = state.ElapsedSeconds;
        var lossesSincePoint = state.PendingLosses;

        int stopAt = Math.Min(maxSteps, _options.StopAtStep ?? maxSteps);
        while (state.Step < stopAt && !state.StoppedEarly && !cancellationToken.IsCancellationRequested)
        {
            double loss = Step(stepLoss, optimizer, schedule.At(state.Step), state, currentPrompt);
            if (double.IsFinite(loss))
                lossesSincePoint.Add(loss);
            state.Step++;
            double elapsed = elapsedBefore + watch.Elapsed.TotalSeconds;
            double? metric = null;
            // A window whose every step was skipped left the parameters unchanged since the last point: nothing to record.
            if ((state.Step % _options.EvaluateEverySteps == 0 || state.Step == stopAt) && lossesSincePoint.Count > 0)
            {
                metric = validate?.Invoke();
                state.RecordPoint(new LearningCurvePoint(state.Step, elapsed, lossesSincePoint.Average(), metric), _parameters, _options.EarlyStoppingPatience);
                lossesSincePoint.Clear();
            }
            progress?.Report(new SoftPromptTrainingProgress(state.Step, maxSteps, loss, metric ?? state.LatestMetric, state.BestMetric, TimeSpan.FromSeconds(elapsed)));
            if (_options.CheckpointDirectory is not null && (state.Step % _options.CheckpointEverySteps == 0 || state.Step == stopAt || cancellationToken.IsCancellationRequested))
                TrainingCheckpoint.Save(_options.CheckpointDirectory, _parameters, optimizer, state with { ElapsedSeconds = elapsed });
        }
        cancellationToken.ThrowIfCancellationRequested();
        return state.ToOutcome(validate is not null, _parameters, TimeSpan.FromSeconds(elapsedBefore + watch.Elapsed.TotalSeconds));
    }

    // One optimisation step; NaN when a non-finite loss or gradient made it skip the batch (parameters and optimizer unchanged).
    private double Step(Func<int, Tensor> stepLoss, AdamW optimizer, double learningRate, TrainingCheckpoint.State state, Func<Tensor> currentPrompt)
    {
        using var scope = NewDisposeScope();
        var lossTensor = stepLoss(state.Step);
        double loss = lossTensor.item<float>();
        if (!double.IsFinite(loss))
            return SkipOrStop(state, () => new NonFiniteLossException(state.Step, loss, LastGoodPrompt(currentPrompt)));
        lossTensor.backward();
        double gradientNorm = nn.utils.clip_grad_norm_(_parameters.Select(p => p.Parameter), _options.MaxGradNorm);
        if (!double.IsFinite(gradientNorm))
        {
            // Applying it would turn the parameters into NaN/Inf, which no later loss check could undo.
            optimizer.ZeroGrad();
            return SkipOrStop(state, () => NonFiniteLossException.ForGradient(state.Step, loss, gradientNorm, LastGoodPrompt(currentPrompt)));
        }
        optimizer.Step(learningRate);
        optimizer.ZeroGrad();
        return loss;
    }

    private double SkipOrStop(TrainingCheckpoint.State state, Func<NonFiniteLossException> stop)
    {
        if (state.SkippedNonFiniteSteps >= _options.MaxSkippedNonFiniteSteps)
            throw stop();
        state.SkippedNonFiniteSteps++;
        return double.NaN;
    }

    private static Tensor LastGoodPrompt(Func<Tensor> currentPrompt)
    {
        using (no_grad())
            return currentPrompt().detach().cpu().clone().DetachFromDisposeScope();
    }
}
