using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Benchmarks;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

// Benchmark: matmul roofline, forward and forward+backward-to-the-prompt of a RoBERTa-base-sized encoder with the MLM
// head at the mask only, as fractions of the matmul figures measured in this same run; memory flatness; ML.NET inference
// overhead and prompt-tuning throughput on the shipped model. Writes artifacts/bench/bench.json and bench.md.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int threads = ArgValue("--threads", 2);
int steps = ArgValue("--steps", 5);
int leakSteps = ArgValue("--leak-steps", 200);
int mainJobSteps = ArgValue("--main-job-steps", 100);
torch.set_num_threads(threads);
torch.manual_seed(0);
var report = new BenchReport();
Console.WriteLine($"threads {threads}, TorchSharp on {(cuda.is_available() ? "CUDA available" : "CPU")}");

// The roofline: the best fp32 GEMM rate over a few square sizes (MKL reaches its peak only on large enough matrices), and
// the rate of the very GEMMs one encoder layer runs (its shapes), which is the ceiling this workload can actually reach.
var matmulRates = new[] { 1024, 2048, 3072 }.Select(n => (Size: n, Rate: MatmulGflops(n, n, n, 2048 * 10 / n))).ToList();
double matmul = matmulRates.Max(r => r.Rate);
foreach (var (size, rate) in matmulRates)
    report.Add($"fp32 matmul {size}x{size}", rate, "GFLOP/s");
var baseConfig = new BertConfig { NumHiddenLayers = 12, HiddenSize = 768, NumAttentionHeads = 12, IntermediateSize = 3072 };
double layerGemms = LayerGemmGflops(baseConfig, rows: 8 * 228);
report.Add("fp32 matmul at a roberta-base layer's GEMM shapes (8x228 rows)", layerGemms, "GFLOP/s");

// glibc's malloc defaults first, then the heap reuse every backbone applies (NativeAllocator): its speed-up in this run.
NativeAllocator.EnsureTuned();
bool allocatorSwitchable = NativeAllocator.Configure(reuseHeap: false);
double defaultMallocSeconds = allocatorSwitchable ? Measure("roberta-base-sized (glibc malloc defaults)", baseConfig, batch: 8, textTokens: 128, promptTokens: 100, steps, goals: false) : double.NaN;
NativeAllocator.Configure(reuseHeap: true);
double trainSeconds = Measure("roberta-base-sized", baseConfig, batch: 8, textTokens: 128, promptTokens: 100, steps, goals: true);
if (allocatorSwitchable)
    report.Add("forward+backward speed-up from heap reuse (NativeAllocator vs glibc defaults)", defaultMallocSeconds / trainSeconds, "x");
report.Add("LM head FLOPs saved by reading only the mask (roberta-base, 228 tokens)", 1 - EncoderFlops.Head(baseConfig, 8, 1) / EncoderFlops.Head(baseConfig, 8, 228), "fraction");
report.Add("forward FLOPs saved by the mask-only last layer and head (roberta-base, 228 tokens)",
    1 - EncoderFlops.Forward(baseConfig, 8, 228) / EncoderFlops.FullSequenceForward(baseConfig, 8, 228), "fraction");

// Leak check: many steps of the same code path on a small encoder; resident memory must not grow.
var smallConfig = new BertConfig { NumHiddenLayers = 4, HiddenSize = 256, NumAttentionHeads = 4, IntermediateSize = 1024 };
LeakCheck(smallConfig, leakSteps);
// Inference through ML.NET vs the raw backbone, and training throughput, on the shipped roberta-small and SST-2 rows.
string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
string shipped = Path.Combine(root, "models", "roberta-small");
string sst2 = Path.Combine(root, "data", "sst2", "train.tsv");
if (Directory.Exists(shipped) && File.Exists(sst2))
{
    PromptInference.Run(shipped, sst2, rows: 2000, batchSize: 32, report);
    var sentences = TabularFile.Load(sst2, ["sentence"]).GetColumn<string>("sentence").Take(2000).ToList();
    var tokenizer = ModelTokenizer.FromDirectory(shipped);
    using (var small = LanguageModelLoader.Load(shipped).Freeze())
        TrainingThroughput.Run("roberta-small", Classifier(small, tokenizer), sentences, batchSize: 32, steps: 20, matmul, report);
    if (allocatorSwitchable)
    {
        // Pre-training's masked-LM step (vocabulary-wide logits at 15% of 32x128 tokens) is where fresh pages cost most.
        NativeAllocator.Configure(reuseHeap: false);
        double pretrainDefault = PretrainStepSeconds(smallConfig with { VocabSize = tokenizer.VocabularySize }, tokenizer.Special, Math.Max(steps, 3));
        NativeAllocator.Configure(reuseHeap: true);
        double pretrainTuned = PretrainStepSeconds(smallConfig with { VocabSize = tokenizer.VocabularySize }, tokenizer.Special, Math.Max(steps, 3));
        report.Add("roberta-small-sized masked-LM pre-training step (batch 32x128), glibc malloc defaults", pretrainDefault * 1000, "ms");
        report.Add("roberta-small-sized masked-LM pre-training step (batch 32x128), heap reuse", pretrainTuned * 1000, "ms");
        report.Add("pre-training step speed-up from heap reuse (NativeAllocator vs glibc defaults)", pretrainDefault / pretrainTuned, "x");
    }
    using (var baseSized = new RobertaForMaskedLM(baseConfig with { VocabSize = tokenizer.VocabularySize }))
    {
        baseSized.Freeze();
        TrainingThroughput.Run("roberta-base-sized", Classifier(baseSized, tokenizer), sentences, batchSize: 32, steps: Math.Max(steps, 3), matmul, report);
    }
    MicroBenchmarks.Run(shipped, sst2, report);
    MainJobTransfer.Run(shipped, Path.Combine(root, "data"), mainJobSteps, report);
}
else
    Console.WriteLine($"inference and training benchmarks skipped: need {shipped} and {sst2}");
report.Add("peak resident memory", ProcessMemory.PeakMiB, "MiB");
report.Write(Path.Combine(root, "artifacts", "bench"), new Dictionary<string, string>
{
    ["threads"] = threads.ToString(CultureInfo.InvariantCulture),
    ["processors"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
    ["device"] = cuda.is_available() ? "CUDA" : "CPU",
    ["date"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
});

static PromptClassifier Classifier(LanguageModel backbone, ModelTokenizer tokenizer) =>
    new(backbone, new PromptEncoder(PromptTemplate.MaskedLmDefault(100), tokenizer, backbone.MaxSequenceLength), new Verbalizer(LabelWords.SentimentBinary(), tokenizer));

static double MatmulGflops(long m, long k, long n, int repeats)
{
    using var a = randn(m, k);
    using var b = randn(k, n);
    for (int i = 0; i < 2; i++)
        a.matmul(b).Dispose();
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < repeats; i++)
        a.matmul(b).Dispose();
    return 2.0 * m * k * n * repeats / watch.Elapsed.TotalSeconds / 1e9;
}

// One encoder layer's GEMMs (fused QKV, attention output, FFN in and out), timed together at their real shapes.
static double LayerGemmGflops(BertConfig c, long rows)
{
    long d = c.HiddenSize, f = c.IntermediateSize;
    var shapes = new (long K, long N)[] { (d, 3 * d), (d, d), (d, f), (f, d) };
    double flops = 0, seconds = 0;
    foreach (var (k, n) in shapes)
    {
        double rate = MatmulGflops(rows, k, n, 10);
        flops += 2.0 * rows * k * n;
        seconds += 2.0 * rows * k * n / (rate * 1e9);
    }
    return flops / seconds / 1e9;
}

double Measure(string name, BertConfig config, int batch, int textTokens, int promptTokens, int repeats, bool goals)
{
    using var model = new RobertaForMaskedLM(config);
    model.Freeze();
    long tokens = textTokens + promptTokens;
    using var prompt = (randn(promptTokens, config.HiddenSize) * 0.5f).requires_grad_(true);
    using var ids = randint(4, config.VocabSize, new long[] { batch, textTokens });
    using var mask = ones(batch, tokens);
    using var positions = full(batch, 1, promptTokens + 1, dtype: ScalarType.Int64);
    using var targets = randint(4, config.VocabSize, new long[] { batch });

    double forwardSeconds = Time(repeats, () =>
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.PredictAt(Embed(model, prompt, ids), mask, positions);
    });
    double trainSeconds = Time(repeats, () =>
    {
        using var scope = NewDisposeScope();
        var logits = model.PredictAt(Embed(model, prompt, ids), mask, positions).squeeze(1);
        nn.functional.cross_entropy(logits, targets).backward();
        prompt.grad!.zero_();
    });
    double forwardFlops = EncoderFlops.Forward(config, batch, tokens);
    double trainFlops = forwardFlops + EncoderFlops.BackwardToInputs(config, batch, tokens);
    double forwardGflops = forwardFlops / forwardSeconds / 1e9, trainGflops = trainFlops / trainSeconds / 1e9;
    string shape = $"{name} {config.NumHiddenLayers}x{config.HiddenSize}, batch {batch}, {textTokens}+{promptTokens} tokens";
    report.Add($"{shape}: forward", forwardSeconds * 1000, "ms");
    report.Add($"{shape}: forward+backward", trainSeconds * 1000, "ms");
    report.Add($"{shape}: forward / best square matmul", forwardGflops / matmul, "ratio");
    if (goals)
    {
        report.Add($"{shape}: forward+backward / best square matmul", trainGflops / matmul, "ratio", ">= 0.80", trainGflops / matmul >= 0.80);
        report.Add($"{shape}: forward+backward / matmul at the layer's shapes", trainGflops / layerGemms, "ratio", ">= 0.80", trainGflops / layerGemms >= 0.80);
    }
    else
        report.Add($"{shape}: forward+backward / best square matmul", trainGflops / matmul, "ratio");
    return trainSeconds;
}

void LeakCheck(BertConfig config, int count)
{
    using var model = new RobertaForMaskedLM(config);
    model.Freeze();
    using var prompt = (randn(20, config.HiddenSize) * 0.5f).requires_grad_(true);
    using var ids = randint(4, config.VocabSize, new long[] { 8, 64 });
    using var mask = ones(8, 84);
    using var positions = full(8, 1, 21, dtype: ScalarType.Int64);
    using var targets = randint(4, config.VocabSize, new long[] { 8 });
    double afterWarmup = 0;
    for (int step = 0; step < count; step++)
    {
        using (var scope = NewDisposeScope())
        {
            var logits = model.PredictAt(Embed(model, prompt, ids), mask, positions).squeeze(1);
            nn.functional.cross_entropy(logits, targets).backward();
            prompt.grad!.zero_();
        }
        if (step == Math.Min(19, count - 1))
            afterWarmup = ProcessMemory.CurrentMiB;
    }
    double end = ProcessMemory.CurrentMiB;
    report.Add($"resident memory growth over {count} forward+backward steps (after 20 warm-up)", end - afterWarmup, "MiB", "flat (< 50)", end - afterWarmup < 50);
}

static double PretrainStepSeconds(BertConfig config, SpecialTokens special, int repeats)
{
    using var model = new RobertaForMaskedLM(config);
    model.train();
    var objective = new MaskedLmObjective(model, special);
    var random = new Random(0);
    var windows = Enumerable.Range(0, 32).Select(_ => Enumerable.Range(0, 126).Select(_ => random.Next(4, config.VocabSize)).ToArray()).ToList();
    long seed = 0;
    return Time(repeats, () =>
    {
        using var scope = NewDisposeScope();
        objective.Compute(windows, seed++, baselineTokenId: 4).Loss.backward();
        model.zero_grad();
    });
}

static Tensor Embed(MaskedLanguageModel model, Tensor prompt, Tensor ids)
{
    long batch = ids.shape[0];
    return cat(new[] { prompt.unsqueeze(0).expand(batch, -1, -1), model.EmbedTokens(ids) }, 1);
}

static double Time(int repeats, Action step)
{
    // Two warm-up steps: the first runs allocate and pick kernels.
    step();
    step();
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < repeats; i++)
        step();
    return watch.Elapsed.TotalSeconds / repeats;
}

int ArgValue(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
