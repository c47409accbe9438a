using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Benchmarks;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

// Backbone benchmark: matmul roofline, then forward and forward+backward-to-the-prompt of a RoBERTa-base-sized encoder
// with the MLM head at the mask only, as fractions of the matmul figure measured in this same run.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int threads = ArgValue("--threads", 2);
int steps = ArgValue("--steps", 5);
int leakSteps = ArgValue("--leak-steps", 200);
torch.set_num_threads(threads);
torch.manual_seed(0);
Console.WriteLine($"threads {threads}, TorchSharp on {(cuda.is_available() ? "CUDA available" : "CPU")}");

// The roofline: the best fp32 GEMM rate over a few square sizes (MKL reaches its peak only on large enough matrices).
var matmulRates = new[] { 1024, 2048, 3072 }.Select(n => (Size: n, Rate: MatmulGflops(n, 2048 * 10 / n))).ToList();
double matmul = matmulRates.Max(r => r.Rate);
Console.WriteLine("fp32 matmul: " + string.Join(", ", matmulRates.Select(r => $"{r.Size}² {r.Rate:F1}")) + $" GFLOP/s -> roofline {matmul:F1} GFLOP/s");

var baseConfig = new BertConfig { NumHiddenLayers = 12, HiddenSize = 768, NumAttentionHeads = 12, IntermediateSize = 3072 };
Measure("roberta-base-sized", baseConfig, batch: 8, textTokens: 128, promptTokens: 100, steps);

// Leak check: many steps of the same code path on a small encoder; resident memory must not grow.
var smallConfig = new BertConfig { NumHiddenLayers = 4, HiddenSize = 256, NumAttentionHeads = 4, IntermediateSize = 1024 };
LeakCheck(smallConfig, leakSteps);
// Inference through ML.NET vs the raw backbone, on the shipped roberta-small when present.
string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
string shipped = Path.Combine(root, "models", "roberta-small");
string sst2 = Path.Combine(root, "..", "shared", "data", "sst2", "train.tsv");
if (Directory.Exists(shipped) && File.Exists(sst2))
{
    PromptInference.Run(shipped, sst2, rows: 2000, batchSize: 32);
    // Training throughput on SST-2 rows: the shipped model, then a randomly initialised roberta-base-sized one.
    var sentences = TabularFile.Load(sst2, ["sentence"]).GetColumn<string>("sentence").Take(2000).ToList();
    var tokenizer = ModelTokenizer.FromDirectory(shipped);
    using (var small = LanguageModelLoader.Load(shipped).Freeze())
        TrainingThroughput.Run("roberta-small", Classifier(small, tokenizer), sentences, batchSize: 32, steps: 20, matmul);
    using (var baseSized = new RobertaForMaskedLM(baseConfig with { VocabSize = tokenizer.VocabularySize }))
    {
        baseSized.Freeze();
        TrainingThroughput.Run("roberta-base-sized", Classifier(baseSized, tokenizer), sentences, batchSize: 32, steps: Math.Max(steps, 3), matmul);
    }
}
else
    Console.WriteLine($"inference and training benchmarks skipped: need {shipped} and {sst2}");
Console.WriteLine($"peak resident memory: {ProcessMemory.PeakMiB:F0} MiB");

static PromptClassifier Classifier(LanguageModel backbone, ModelTokenizer tokenizer) =>
    new(backbone, new PromptEncoder(PromptTemplate.MaskedLmDefault(100), tokenizer, backbone.MaxSequenceLength), new Verbalizer(LabelWords.SentimentBinary(), tokenizer));

static double MatmulGflops(int n, int repeats)
{
    using var a = randn(n, n);
    using var b = randn(n, n);
    for (int i = 0; i < 2; i++)
        a.matmul(b).Dispose();
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < repeats; i++)
        a.matmul(b).Dispose();
    return 2.0 * n * n * n * repeats / watch.Elapsed.TotalSeconds / 1e9;
}

void Measure(string name, BertConfig config, int batch, int textTokens, int promptTokens, int repeats)
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
    Console.WriteLine($"{name} ({config.NumHiddenLayers}x{config.HiddenSize}, batch {batch}, {textTokens}+{promptTokens} tokens, LM head at the mask):");
    Console.WriteLine($"  forward           {forwardSeconds * 1000,8:F0} ms  {forwardGflops,6:F1} GFLOP/s  {forwardGflops / matmul:F2} of matmul");
    Console.WriteLine($"  forward+backward  {trainSeconds * 1000,8:F0} ms  {trainGflops,6:F1} GFLOP/s  {trainGflops / matmul:F2} of matmul (goal >= 0.80)");
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
    Console.WriteLine($"memory over {count} forward+backward steps (small encoder): {afterWarmup:F0} MiB after 20 -> {end:F0} MiB at the end ({end - afterWarmup:+0;-0} MiB)");
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
