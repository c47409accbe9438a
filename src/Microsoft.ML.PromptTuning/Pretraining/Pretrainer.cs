using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.PromptTuning.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// The pre-training loop: AdamW with warmup and linear decay, gradient clipping, periodic resumable checkpoints and a
/// held-out evaluation at the end. Every random choice of step <c>s</c> derives from (seed, s), so a resumed run continues
/// exactly as an uninterrupted one.
/// </summary>
public sealed class Pretrainer
{
    private readonly IPretrainingObjective _objective;
    private readonly TokenizedCorpus _corpus;
    private readonly PretrainingOptions _options;
    private readonly int _windowLength;
    private readonly int _baselineToken;

    public Pretrainer(IPretrainingObjective objective, TokenizedCorpus corpus, PretrainingOptions options)
    {
        options.Validate();
        _objective = objective;
        _corpus = corpus;
        _options = options;
        _windowLength = objective.WindowLength(options.SequenceLength);
        if (corpus.WindowCount(CorpusSplit.Train, _windowLength) < options.BatchSize)
            throw new ArgumentException($"The training corpus holds fewer than one batch of {_windowLength}-token windows.", nameof(corpus));
        if (corpus.WindowCount(CorpusSplit.HeldOut, _windowLength) < 1)
            throw new ArgumentException($"The held-out corpus holds no {_windowLength}-token window.", nameof(corpus));
        _baselineToken = MostFrequentToken(corpus.UnigramCounts(CorpusSplit.Train), objective.SpecialTokenIds);
    }

    /// <summary>The token the unigram baseline always predicts: the most frequent training token.</summary>
    public int BaselineTokenId => _baselineToken;

    /// <summary>
    /// Trains until <see cref="PretrainingOptions.Steps"/>, continuing from the checkpoint in <paramref name="checkpointDirectory"/>
    /// when one exists. Cancellation stops after the current step, with a checkpoint written.
    /// </summary>
    public PretrainingResult Run(string checkpointDirectory, IProgress<PretrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var model = _objective.Model;
        var parameters = model.named_parameters().Select(p => (p.name, p.parameter)).ToList();
        foreach (var (_, parameter) in parameters)
            parameter.requires_grad = true;
        using var optimizer = new AdamW(parameters, _options.WeightDecay);
        var schedule = new LearningRateSchedule(_options.LearningRate, _options.WarmupSteps, _options.Steps);
        // Invariant: a run checkpointed under one culture resumes under another.
        string identity = string.Create(CultureInfo.InvariantCulture,
            $"{model.ModelType} seq {_options.SequenceLength} batch {_options.BatchSize} steps {_options.Steps} lr {_options.LearningRate} seed {_options.Seed}");
        var state = PretrainingCheckpoint.TryLoad(checkpointDirectory, model, optimizer, identity);
        bool resumed = state is not null;
        state ??= new PretrainingCheckpoint.State(0, 0, 0, new List<double>(), identity);

        int step = state.Step;
        long tokens = state.TokensSeen;
        var losses = state.Losses;
        var watch = Stopwatch.StartNew();
        double elapsedBefore = state.ElapsedSeconds;
        long windowCount = _corpus.WindowCount(CorpusSplit.Train, _windowLength);
        model.train();
        while (step < _options.Steps && !cancellationToken.IsCancellationRequested)
        {
            using (var scope = NewDisposeScope())
            {
                manual_seed(_options.Seed * 7919L + step); // dropout of this step
                var windows = TrainingWindows(step, windowCount);
                var output = _objective.Compute(windows, _options.Seed * 1_000_003L + step, _baselineToken);
                double loss = output.Loss.item<float>();
                if (!double.IsFinite(loss))
                    throw new InvalidOperationException($"Pre-training loss became {loss} at step {step}; lower the learning rate. The last checkpoint is intact.");
                output.Loss.backward();
                nn.utils.clip_grad_norm_(parameters.Select(p => p.Item2), _options.MaxGradNorm);
                optimizer.Step(schedule.At(step));
                optimizer.ZeroGrad();
                losses.Add(loss);
                tokens += (long)_options.BatchSize * _options.SequenceLength;
            }
            step++;
            double elapsed = elapsedBefore + watch.Elapsed.TotalSeconds;
            progress?.Report(new PretrainingProgress(step, _options.Steps, losses.TakeLast(20).Average(),
                tokens / Math.Max(elapsed, 1e-9), schedule.At(step - 1), TimeSpan.FromSeconds(elapsed)));
            if (step % _options.CheckpointEverySteps == 0 || step == _options.Steps || cancellationToken.IsCancellationRequested)
                PretrainingCheckpoint.Save(checkpointDirectory, model, optimizer, state with { Step = step, TokensSeen = tokens, ElapsedSeconds = elapsed, Losses = losses });
        }
        cancellationToken.ThrowIfCancellationRequested();
        model.eval();
        return new PretrainingResult
        {
            Steps = step,
            TokensSeen = tokens,
            WallTime = TimeSpan.FromSeconds(elapsedBefore + watch.Elapsed.TotalSeconds),
            FinalTrainingLoss = losses.TakeLast(50).Average(),
            HeldOut = Evaluate(CorpusSplit.HeldOut),
            LossCurve = losses.Select((l, i) => (i + 1, l)).ToList(),
            Resumed = resumed,
        };
    }

    /// <summary>Loss and top-1 accuracy on the first <see cref="PretrainingOptions.EvaluationWindows"/> windows of a split, with fixed corruption.</summary>
    public PretrainingEvaluation Evaluate(CorpusSplit split) =>
        ObjectiveEvaluator.Evaluate(_objective, FirstWindows(split, _options.EvaluationWindows), _options.BatchSize, _baselineToken);

    /// <summary>The first <paramref name="count"/> windows of a split (fewer when the split is shorter).</summary>
    public IReadOnlyList<int[]> FirstWindows(CorpusSplit split, int count)
    {
        long available = Math.Min(count, _corpus.WindowCount(split, _windowLength));
        var windows = new List<int[]>((int)available);
        for (long i = 0; i < available; i++)
            windows.Add(ReadWindow(split, i));
        return windows;
    }

    /// <summary>The windows of step <paramref name="step"/>: the next batch of a per-epoch shuffled order.</summary>
    private List<int[]> TrainingWindows(int step, long windowCount)
    {
        var windows = new List<int[]>(_options.BatchSize);
        for (int i = 0; i < _options.BatchSize; i++)
        {
            long position = (long)step * _options.BatchSize + i;
            int epoch = (int)(position / windowCount);
            var order = Order(epoch, windowCount);
            windows.Add(ReadWindow(CorpusSplit.Train, order[position % windowCount]));
        }
        return windows;
    }

    private int _orderEpoch = -1;
    private long[] _order = Array.Empty<long>();

    private long[] Order(int epoch, long windowCount)
    {
        if (epoch != _orderEpoch)
        {
            _order = _corpus.ShuffledWindowOrder(CorpusSplit.Train, _windowLength, _options.Seed, epoch);
            _orderEpoch = epoch;
        }
        return _order;
    }

    private int[] ReadWindow(CorpusSplit split, long index)
    {
        var window = new int[_windowLength];
        _corpus.ReadWindow(split, index, _windowLength, window);
        return window;
    }

    private static int MostFrequentToken(long[] counts, IReadOnlyCollection<int> excluded)
    {
        int best = -1;
        for (int i = 0; i < counts.Length; i++)
            if (!excluded.Contains(i) && (best < 0 || counts[i] > counts[best]))
                best = i;
        return best;
    }
}
