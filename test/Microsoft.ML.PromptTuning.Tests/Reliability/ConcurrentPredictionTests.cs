using System.Collections.Concurrent;
using Microsoft.ML.PromptTuning.Tests.MLNet;

namespace Microsoft.ML.PromptTuning.Tests.Reliability;

/// <summary>
/// <see cref="PredictionEngine{TSrc, TDst}"/> is not thread-safe (ML.NET's contract): the supported patterns are one engine
/// per thread, or a pool of engines each used by one thread at a time. Both, with 8 threads × 1,000 predictions, give
/// exactly the single-threaded predictions and scores: one engine per thread on a model loaded from its zip (default
/// TorchSharp threading), a shared pool of three engines on the trained transformer (one intra-op thread, as recommended
/// when many threads predict at once). Runs alone, since it changes the process's TorchSharp thread count for a while.
/// </summary>
[TestClass]
[TestCategory("Reliability")]
[DoNotParallelize]
public sealed class ConcurrentPredictionTests
{
    private const int Threads = 8;
    private const int PredictionsPerThread = 1000;

    private static readonly MLContext Context = new(seed: 1);
    private static readonly string[] Texts = ReliabilityModel.Texts(48);
    private static string? _backbone;
    private static string? _zip;
    private static ITransformer? _trained;
    private static ITransformer? _loaded;

    [ClassInitialize]
    public static void TrainAndSave(TestContext context)
    {
        _backbone = FixtureBackboneFolder.CreateRobertaTiny("concurrency-backbone-");
        var data = SentimentRows.Data(Context, 8);
        _trained = Context.PromptTuning().SoftPrompt(ReliabilityModel.Options(_backbone)).Fit(data);
        _zip = Path.Combine(_backbone, "model.zip");
        Context.Model.Save(_trained, data.Schema, _zip);
        _loaded = Context.Model.Load(_zip, out _);
    }

    [ClassCleanup]
    public static void Delete()
    {
        (_trained as IDisposable)?.Dispose();
        if (_backbone is not null)
            Directory.Delete(_backbone, true);
    }

    [TestMethod]
    public void Predict_EightThreadsWithAnEngineEachOnTheLoadedZip_GivesTheSingleThreadedResults()
    {
        var expected = SingleThreaded(_loaded!);

        var mismatches = RunThreads(thread =>
        {
            var engine = Context.Model.CreatePredictionEngine<ReviewText, ReviewPrediction>(_loaded!);
            return text => engine.Predict(new ReviewText { Text = text });
        }, expected);

        Assert.AreEqual(0, mismatches.Count, string.Join("\n", mismatches.Take(5)));
    }

    [TestMethod]
    public void Predict_EightThreadsSharingAPoolOfThreeEnginesOnTheTrainedModel_GivesTheSingleThreadedResults()
    {
        int intraOpThreads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1);
        try
        {
            PoolOfThreeEngines(_trained!);
        }
        finally
        {
            TorchSharp.torch.set_num_threads(intraOpThreads);
        }
    }

    private static void PoolOfThreeEngines(ITransformer model)
    {
        var expected = SingleThreaded(model);
        // The ObjectPool pattern (Microsoft.Extensions.ML's PredictionEnginePool works the same way): take an engine, use it
        // for one prediction on this thread only, give it back.
        var pool = new ConcurrentBag<PredictionEngine<ReviewText, ReviewPrediction>>(
            Enumerable.Range(0, 3).Select(_ => Context.Model.CreatePredictionEngine<ReviewText, ReviewPrediction>(model)));
        int created = 3;

        var mismatches = RunThreads(thread => text =>
        {
            if (!pool.TryTake(out var engine))
            {
                Interlocked.Increment(ref created);
                engine = Context.Model.CreatePredictionEngine<ReviewText, ReviewPrediction>(model);
            }
            try
            {
                return engine.Predict(new ReviewText { Text = text });
            }
            finally
            {
                pool.Add(engine);
            }
        }, expected);

        Assert.AreEqual(0, mismatches.Count, string.Join("\n", mismatches.Take(5)));
        Assert.IsTrue(created <= Threads, $"{created} engines for {Threads} threads");
    }

    private static Dictionary<string, ReviewPrediction> SingleThreaded(ITransformer model)
    {
        var engine = Context.Model.CreatePredictionEngine<ReviewText, ReviewPrediction>(model);
        return Texts.ToDictionary(t => t, t => engine.Predict(new ReviewText { Text = t }));
    }

    // Each thread predicts the texts in its own order; every result must equal the single-threaded one bit for bit.
    private static List<string> RunThreads(Func<int, Func<string, ReviewPrediction>> predictorForThread, Dictionary<string, ReviewPrediction> expected)
    {
        var mismatches = new ConcurrentQueue<string>();
        var threads = Enumerable.Range(0, Threads).Select(thread => new Thread(() =>
        {
            try
            {
                var predict = predictorForThread(thread);
                for (int i = 0; i < PredictionsPerThread; i++)
                {
                    string text = Texts[(i * (thread + 1) + thread) % Texts.Length];
                    var actual = predict(text);
                    var wanted = expected[text];
                    if (actual.PredictedLabel != wanted.PredictedLabel || !actual.Score.SequenceEqual(wanted.Score))
                        mismatches.Enqueue($"thread {thread}, prediction {i} ('{text}'): {actual.PredictedLabel} [{string.Join(", ", actual.Score)}] vs {wanted.PredictedLabel} [{string.Join(", ", wanted.Score)}]");
                }
            }
            catch (Exception e)
            {
                mismatches.Enqueue($"thread {thread} failed: {e}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return mismatches.ToList();
    }
}
