using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Benchmarks;

/// <summary>
/// Inference overhead of the ML.NET surface: <c>Transform</c> over N rows vs the raw backbone forward over the same
/// length-bucketed batches, and <c>PredictionEngine.Predict</c> vs a raw single-row forward.
/// </summary>
internal static class PromptInference
{
    public static void Run(string backbone, string textsFile, int rows, int batchSize, BenchReport report)
    {
        var context = new MLContext(seed: 1);
        var texts = TabularFile.Load(textsFile, ["sentence", "label"]).Subset(Enumerable.Range(0, rows));
        var options = new SoftPromptOptions
        {
            Backbone = backbone, PromptLength = 100, TextColumnNames = ["sentence"], LabelColumnName = "label",
            LabelWords = LabelWords.SentimentBinary(), InferenceBatchSize = batchSize,
            Trainer = new SoftPromptTrainerOptions { MaxSteps = 1, BatchSize = 4 },
        };
        using var model = context.PromptTuning().SoftPrompt(options).Fit(texts.Subset(Enumerable.Range(0, 8)));
        var classifier = model.Predictor.Classifier;
        var encoded = texts.GetColumn<string>("sentence").Select(t => classifier.Encoder.Encode(t)).ToList();

        double raw = Seconds(() =>
        {
            using var noGrad = no_grad();
            foreach (var bucket in LengthBuckets.Order(encoded, batchSize))
            {
                using var scope = NewDisposeScope();
                using var batch = classifier.Collate(bucket.Select(i => encoded[i]).ToList());
                ((MaskedLanguageModel)classifier.Backbone).PredictAt(batch.EmbedInputs(classifier.Backbone, model.Prompt.Embeddings), batch.AttentionMask, batch.MaskPositions!.unsqueeze(1));
            }
        });
        double transform = Seconds(() => model.Transform(texts).GetColumn<float[]>("Score").Count());
        report.Add($"roberta-small inference, raw forward over {rows} rows (batch {batchSize})", rows / raw, "rows/s");
        report.Add($"roberta-small inference, Transform over {rows} rows (batch {batchSize})", rows / transform, "rows/s");
        report.Add("Transform throughput / raw forward throughput", raw / transform, "ratio", ">= 0.90", raw / transform >= 0.90);

        var engine = context.Model.CreatePredictionEngine<Row, Prediction>(model);
        var sample = texts.GetColumn<string>("sentence").Take(50).ToList();
        double single = Seconds(() =>
        {
            using var noGrad = no_grad();
            foreach (string text in sample)
            {
                using var scope = NewDisposeScope();
                using var batch = classifier.Collate([classifier.Encoder.Encode(text)]);
                ((MaskedLanguageModel)classifier.Backbone).PredictAt(batch.EmbedInputs(classifier.Backbone, model.Prompt.Embeddings), batch.AttentionMask, batch.MaskPositions!.unsqueeze(1));
            }
        }) / sample.Count;
        double predict = Seconds(() => { foreach (string text in sample) engine.Predict(new Row { sentence = text }); }) / sample.Count;
        report.Add("roberta-small single row, raw forward", single * 1000, "ms");
        report.Add("roberta-small single row, PredictionEngine.Predict", predict * 1000, "ms");
        report.Add("PredictionEngine latency / raw single-row forward", predict / single, "ratio", "<= 1.5", predict / single <= 1.5);
    }

    private static double Seconds(Action action)
    {
        action();
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private sealed class Row
    {
#pragma warning disable IDE1006 // the column name
        public string sentence { get; set; } = "";
#pragma warning restore IDE1006
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
    }
}
