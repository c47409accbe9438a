using System.Text.Json;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Pre-trains a model end to end: builds (or reuses) the tokenized corpus, initialises the architecture, trains with
/// checkpoint/resume, evaluates on the held-out split, and writes a Hugging Face model folder with its report.
/// </summary>
public static class PretrainingPipeline
{
    /// <summary>Held-out windows shipped with the model for its regression test.</summary>
    private const int SampleWindows = 64;

    /// <summary>Runs <paramref name="job"/>; an interrupted run started again with the same job continues from its checkpoint.</summary>
    public static PretrainingReport Run(PretrainingJob job, IProgress<CorpusBuildProgress>? corpusProgress = null,
        IProgress<PretrainingProgress>? trainingProgress = null, CancellationToken cancellationToken = default)
    {
        job.Options.Validate();
        if (job.Threads > 0)
            set_num_threads(job.Threads);
        var tokenizer = ModelTokenizer.FromDirectory(job.TokenizerDirectory);
        using var corpus = CorpusBuilder.Build(job.Sources, tokenizer, job.CorpusDirectory, new CorpusBuildOptions { ExclusionSources = job.ExclusionSources }, corpusProgress, cancellationToken);
        using var model = job.InitializeFrom is string start ? LoadStart(start, tokenizer) : CreateModel(job.Architecture, tokenizer);
        if (job.InitializeFrom is null)
            WeightInitializer.Initialize(model, job.Options.Seed);
        var objective = CreateObjective(model, tokenizer);
        Directory.CreateDirectory(job.OutputDirectory);
        var pretrainer = new Pretrainer(objective, corpus, job.Options);
        var result = pretrainer.Run(job.CheckpointDirectory, trainingProgress, cancellationToken);

        ModelFolderWriter.Write(model, job.OutputDirectory, job.TokenizerDirectory, job.OutputDType);
        // The shipped sample is scored with the weights as stored (e.g. float16), which is what users load.
        HeldOutSample sample;
        using (var stored = LanguageModelLoader.Load(job.OutputDirectory))
        {
            var windows = pretrainer.FirstWindows(CorpusSplit.HeldOut, SampleWindows);
            sample = new HeldOutSample(windows, pretrainer.BaselineTokenId, ObjectiveEvaluator.Evaluate(
                CreateObjective(stored, tokenizer), windows, job.Options.BatchSize, pretrainer.BaselineTokenId));
            sample.Save(Path.Combine(job.OutputDirectory, HeldOutSample.FileName));
        }
        var report = new PretrainingReport
        {
            ModelName = Path.GetFileName(Path.GetFullPath(job.OutputDirectory)),
            Config = model.ToConfigJson(),
            ParameterCount = model.parameters().Sum(p => p.numel()),
            Options = job.Options,
            Result = result,
            Corpus = corpus.Manifest,
            SampleEvaluation = sample.Expected,
            ContinuedFrom = job.InitializeFrom is string from ? PriorTraining(from) : null,
            ObjectiveDescription = objective is MaskedLmObjective
                ? "masked-LM, dynamic masking of 15% of tokens, 80/10/10"
                : "span corruption, 15% noise, mean span 3, sentinels <extra_id_k>",
            ProbeFills = model is MaskedLanguageModel masked
                ? job.Probes.ToDictionary(p => p, p => MaskFillProbe.TopFills(masked, tokenizer, p))
                : new Dictionary<string, IReadOnlyList<string>>(),
        };
        AtomicFile.Write(Path.Combine(job.OutputDirectory, "pretraining_report.json"), stream =>
            JsonSerializer.Serialize(stream, new
            {
                report.ModelName,
                report.ParameterCount,
                report.ContinuedFrom,
                report.Options,
                result.Steps,
                result.TokensSeen,
                WallTimeSeconds = result.WallTime.TotalSeconds,
                result.FinalTrainingLoss,
                result.HeldOut,
                report.ProbeFills,
                LossCurve = result.LossCurve.Select(p => p.Loss),
            }, new JsonSerializerOptions { WriteIndented = true }));
        return report;
    }

    /// <summary>The model a continued run starts from, checked against the tokenizer it will be trained with.</summary>
    private static LanguageModel LoadStart(string folder, ModelTokenizer tokenizer)
    {
        var model = LanguageModelLoader.Load(folder);
        if (model.VocabularySize != tokenizer.VocabularySize)
        {
            model.Dispose();
            throw new ArgumentException($"The model in {folder} has {model.VocabularySize} vocabulary rows but the tokenizer has {tokenizer.VocabularySize} ids; continue pre-training with the model's own tokenizer.");
        }
        return model;
    }

    /// <summary>"name (N steps, T tokens)" from the start model's own report, or just its name when it has none.</summary>
    private static string PriorTraining(string folder)
    {
        string name = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        string reportPath = Path.Combine(folder, "pretraining_report.json");
        if (!File.Exists(reportPath))
            return name;
        using var report = JsonDocument.Parse(File.ReadAllText(reportPath));
        var root = report.RootElement;
        return root.TryGetProperty("Steps", out var steps) && root.TryGetProperty("TokensSeen", out var tokens)
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} ({steps.GetInt64():N0} steps, {tokens.GetInt64():N0} tokens)")
            : name;
    }

    /// <summary>The objective that pre-trains <paramref name="model"/>: masked LM for BERT/RoBERTa, span corruption for T5.</summary>
    public static IPretrainingObjective CreateObjective(LanguageModel model, ModelTokenizer tokenizer) => model switch
    {
        MaskedLanguageModel mlm => new MaskedLmObjective(mlm, tokenizer.Special),
        T5ForConditionalGeneration t5 => new SpanCorruptionObjective(t5, tokenizer),
        _ => throw new NotSupportedException($"No pre-training objective for {model.GetType().Name}."),
    };

    /// <summary>Builds the architecture with its vocabulary sized to the tokenizer.</summary>
    public static LanguageModel CreateModel(object architecture, ModelTokenizer tokenizer) => architecture switch
    {
        BertConfig bert => bert.IsRoberta
            ? new RobertaForMaskedLM(bert with { VocabSize = tokenizer.VocabularySize, PadTokenId = tokenizer.Special.PadId })
            : new BertForMaskedLM(bert with { VocabSize = tokenizer.VocabularySize, PadTokenId = tokenizer.Special.PadId }),
        T5Config t5 => new T5ForConditionalGeneration(t5 with { VocabSize = tokenizer.VocabularySize, PadTokenId = tokenizer.Special.PadId, EosTokenId = tokenizer.Special.EosId }),
        _ => throw new ArgumentException($"Unsupported architecture {architecture.GetType().Name}: use BertConfig or T5Config.", nameof(architecture)),
    };
}
