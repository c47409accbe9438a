using System.Diagnostics;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>
/// AutoML-style hyperparameter search for <see cref="SoftPromptEstimator"/>: random or grid trials over a
/// <see cref="SoftPromptSearchSpace"/>, optionally with successive halving on the learning curve, within a trial or time
/// budget; returns the results table and the best trial's fitted transformer. Create it with
/// <c>mlContext.PromptTuning().Sweeper(options)</c>.
/// </summary>
public sealed class SoftPromptSweeper
{
    private readonly MLContext _context;
    private readonly SoftPromptSweeperOptions _options;

    internal SoftPromptSweeper(MLContext context, SoftPromptSweeperOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = options;
    }

    /// <summary>Replaces the estimator's fit of a trial (tests inject failures through it).</summary>
    internal Func<SoftPromptOptions, IDataView, SoftPromptTransformer>? FitTrial { get; init; }

    /// <summary>The trials of this sweep (this shard's slice) with their 0-based numbers, in the order they run.</summary>
    public IReadOnlyList<(int Number, SoftPromptSearchSpace Point)> Trials()
    {
        var space = _options.SearchSpace;
        var random = new Random(_options.Seed);
        var points = _options.Strategy == SweepStrategy.Grid
            ? space.Grid(_options.GridPointsPerRange).Take(_options.MaxTrials)
            : Enumerable.Range(0, _options.MaxTrials).Select(i => i == 0 ? space.Default() : space.Sample(random)).ToList();
        return points.Select((point, number) => (number, point)).Where(t => _options.Shard.Includes(t.number)).ToList();
    }

    /// <summary>
    /// Runs the trials on <paramref name="train"/>, ranking them by best accuracy on <paramref name="validation"/>. Progress
    /// and trial results go to the ML.NET log; <paramref name="trialDone"/> (optional) hears of each finished trial.
    /// </summary>
    public SweepResult Fit(IDataView train, IDataView validation, Action<SweepTrial>? trialDone = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        var trials = Trials();
        var rungs = Rungs();
        bool temporary = _options.WorkingDirectory is null;
        string root = _options.WorkingDirectory ?? Directory.CreateTempSubdirectory("prompt-sweep-").FullName;
        var watch = Stopwatch.StartNew();
        var records = new Dictionary<int, SweepTrial>();
        var reachedRung = new Dictionary<int, int>();
        (int Number, int Rung, SoftPromptTransformer Model)? best = null;
        try
        {
            var alive = trials.ToList();
            for (int rung = 0; rung < rungs.Count && alive.Count > 0; rung++)
            {
                foreach (var (number, point) in alive)
                {
                    if (_options.TimeBudget is TimeSpan budget && watch.Elapsed >= budget)
                        break;
                    var (trial, model) = RunTrial(number, point, rungs[rung], train, validation, Path.Combine(root, $"trial-{number}"));
                    records[number] = trial;
                    reachedRung[number] = rung;
                    trialDone?.Invoke(trial);
                    PromptTuningLog.Info(_context, $"Sweep trial {number} (rung {rung + 1}/{rungs.Count}): {Format(trial)}");
                    if (model is null)
                    {
                        // A promoted trial that diverges in a later rung can no longer be the best: its record is now the failure.
                        if (best?.Number == number)
                        {
                            best.Value.Model.Dispose();
                            best = null;
                        }
                        continue;
                    }
                    if (best is null || rung > best.Value.Rung || trial.Metric > records[best.Value.Number].Metric)
                    {
                        best?.Model.Dispose();
                        best = (number, rung, model);
                    }
                    else
                        model.Dispose();
                }
                if (rung == rungs.Count - 1)
                    break;
                // Promote the best 1/rate of this rung's finished trials; the rest are pruned where they stand.
                var ranked = alive.Where(t => reachedRung.GetValueOrDefault(t.Number, -1) == rung && records[t.Number].Error is null)
                    .OrderByDescending(t => records[t.Number].Metric ?? double.NegativeInfinity).ThenBy(t => t.Number).ToList();
                int keep = (int)Math.Ceiling(ranked.Count / (double)_options.HalvingRate!.Value);
                foreach (var (number, _) in ranked.Skip(keep))
                    records[number] = records[number] with { Pruned = true };
                alive = ranked.Take(keep).ToList();
            }
            var ordered = records.Values.OrderBy(t => t.Number).ToList();
            return new SweepResult(ordered, best is null ? null : records[best.Value.Number], best?.Model, _options.Shard);
        }
        catch
        {
            best?.Model.Dispose();
            throw;
        }
        finally
        {
            if (temporary)
                Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Step at which each rung pauses (null: to the end). Without halving one rung; with rate η the rungs are
    /// MaxSteps/η^k down to <see cref="SoftPromptSweeperOptions.MinSteps"/>, on the validation grid.
    /// </summary>
    internal IReadOnlyList<int?> Rungs()
    {
        var trainer = _options.BaseOptions.Trainer;
        if (_options.HalvingRate is not int rate)
            return [null];
        var pauses = new List<int>();
        for (double steps = trainer.MaxSteps / (double)rate; steps >= _options.MinSteps; steps /= rate)
        {
            int onGrid = Math.Max(trainer.EvaluateEverySteps, (int)Math.Round(steps / trainer.EvaluateEverySteps) * trainer.EvaluateEverySteps);
            if (onGrid < trainer.MaxSteps && !pauses.Contains(onGrid))
                pauses.Insert(0, onGrid);
        }
        return pauses.Select(p => (int?)p).Append(null).ToList();
    }

    private (SweepTrial Trial, SoftPromptTransformer? Model) RunTrial(int number, SoftPromptSearchSpace point, int? stopAt, IDataView train, IDataView validation, string checkpoint)
    {
        var options = point.ToOptions(_options.BaseOptions);
        options.ValidationData = validation;
        options.Trainer = options.Trainer with { CheckpointDirectory = checkpoint, StopAtStep = stopAt };
        var parameters = _options.SearchSpace.Describe(point);
        var watch = Stopwatch.StartNew();
        try
        {
            var model = FitTrial?.Invoke(options, train) ?? new SoftPromptEstimator(_context, options).Fit(train);
            var curve = model.LearningCurve;
            double? metric = curve.Max(p => p.ValidationMetric);
            return (new SweepTrial(number, parameters, metric, curve.Count == 0 ? 0 : curve[^1].Step, curve.Count == 0 ? watch.Elapsed.TotalSeconds : curve[^1].ElapsedSeconds, Pruned: false), model);
        }
        catch (NonFiniteLossException e)
        {
            e.LastGoodPrompt.Dispose();
            return (new SweepTrial(number, parameters, null, e.Step, watch.Elapsed.TotalSeconds, Pruned: false, e.Message), null);
        }
        finally
        {
            options.Initialization.Source?.Dispose();
        }
    }

    private static string Format(SweepTrial trial) =>
        string.Join(", ", trial.Parameters.Select(p => $"{p.Key}={p.Value}")) +
        (trial.Error is null ? $" -> {trial.Metric:P2} after {trial.Steps} steps, {trial.Seconds:F0}s" : $" -> failed: {trial.Error}");
}
