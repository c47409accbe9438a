using System.Diagnostics;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Benchmarks;

/// <summary>
/// Prompt-tuning throughput on real text: the trainer's step (length-grouped batch, forward with the LM head at the mask,
/// backward to the prompt, clipping, AdamW) timed over SST-2 rows, in examples/s and in achieved GFLOP/s (counted from
/// each batch's padded length) as a fraction of the matmul figure of the same run.
/// </summary>
internal static class TrainingThroughput
{
    public static void Run(string name, PromptClassifier classifier, IReadOnlyList<string> texts, int batchSize, int steps, double matmul, BenchReport report)
    {
        var config = ((MaskedLanguageModel)classifier.Backbone).Config;
        var rows = texts.Select(t => classifier.Encoder.Encode(t)).ToList();
        var batches = LengthBuckets.Order(rows, batchSize).ToArray();
        new Random(0).Shuffle(batches); // length-grouped batches in random order, as the trainer takes them
        batches = batches.Take(steps + 2).ToArray();
        using var prompt = new Parameter(randn(classifier.PromptLength, classifier.Backbone.HiddenSize) * 0.5f);
        using var optimizer = new Training.AdamW([("prompt", prompt)]);
        var labels = new Random(0);

        double flops = 0, seconds = 0;
        int examples = 0;
        for (int b = 0; b < batches.Length; b++)
        {
            var watch = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                using var batch = classifier.Collate(batches[b].Select(i => rows[i]).ToList());
                var targets = tensor(batches[b].Select(_ => (long)labels.Next(classifier.Verbalizer.LabelCount)).ToArray(), ScalarType.Int64);
                nn.functional.cross_entropy(classifier.LabelScores(batch, prompt), targets).backward();
                nn.utils.clip_grad_norm_(new[] { prompt }, 1.0);
                optimizer.Step(1e-3);
                optimizer.ZeroGrad();
                if (b >= 2) // the first two steps allocate and pick kernels
                    flops += EncoderFlops.Forward(config, batch.BatchSize, batch.SequenceLength) + EncoderFlops.BackwardToInputs(config, batch.BatchSize, batch.SequenceLength);
            }
            if (b >= 2)
            {
                seconds += watch.Elapsed.TotalSeconds;
                examples += batches[b].Count;
            }
        }
        double gflops = flops / seconds / 1e9;
        string what = $"training {name} ({config.NumHiddenLayers}x{config.HiddenSize}, prompt {classifier.PromptLength}, batch {batchSize}, SST-2 rows)";
        report.Add($"{what}: throughput", examples / seconds, "examples/s");
        report.Add($"{what}: achieved / best square matmul", gflops / matmul, "ratio");
    }
}
