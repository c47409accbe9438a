using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>What a pre-training run produced, written as <c>pretraining_report.json</c> and as the model card.</summary>
public sealed record PretrainingReport
{
    public required string ModelName { get; init; }
    public required JsonObject Config { get; init; }
    public required long ParameterCount { get; init; }
    public required PretrainingOptions Options { get; init; }
    public required PretrainingResult Result { get; init; }
    public required CorpusManifest Corpus { get; init; }
    public required string ObjectiveDescription { get; init; }
    /// <summary>The model this run continued from (its earlier training), or null for a run from scratch.</summary>
    public string? ContinuedFrom { get; init; }
    /// <summary>Scores of the stored (float16) weights on the shipped <c>heldout_sample.safetensors</c>.</summary>
    public PretrainingEvaluation? SampleEvaluation { get; init; }

    /// <summary>Probe sentence → top-5 fills (masked LMs only).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ProbeFills { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The model card (Markdown) with architecture, corpus, training, metrics, probes and the reproducing command.</summary>
    public string ToModelCard(string reproduceCommand)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"# {ModelName}");
        text.AppendLine();
        string origin = ContinuedFrom is null ? "from scratch" : $"further, starting from {ContinuedFrom},";
        text.AppendLine(c, $"A small {Config["model_type"]} pre-trained {origin} by PromptTransfer's own pre-training code ({ObjectiveDescription}) as the embedded default backbone for prompt tuning. Real users point the same code at roberta-base / t5-base.");
        text.AppendLine();
        text.AppendLine("## Architecture");
        text.AppendLine();
        foreach (var (key, value) in Config)
            if (key is not ("architectures" or "torch_dtype"))
                text.AppendLine(c, $"- `{key}`: {value?.ToJsonString()}");
        text.AppendLine(c, $"- parameters: {ParameterCount:N0} (weights stored as float16 safetensors)");
        text.AppendLine();
        text.AppendLine("## Corpus");
        text.AppendLine();
        text.AppendLine(c, $"{Corpus.TrainTokenCount:N0} training tokens and {Corpus.HeldOutTokenCount:N0} held-out tokens (1% of each part, by document), exact duplicates removed:");
        text.AppendLine();
        text.AppendLine("| part | documents (train / held-out) | tokens (train / held-out) | duplicates dropped |");
        text.AppendLine("|---|---|---|---|");
        foreach (var part in Corpus.Parts)
            text.AppendLine(c, $"| {part.Part} | {part.Counts.TrainDocuments:N0} / {part.Counts.HeldOutDocuments:N0} | {part.Counts.TrainTokens:N0} / {part.Counts.HeldOutTokens:N0} | {part.Counts.DuplicateDocuments:N0} |");
        text.AppendLine();
        text.AppendLine("## Training");
        text.AppendLine();
        text.AppendLine(c, $"- steps{(ContinuedFrom is null ? "" : " of this run")}: {Result.Steps:N0} × batch {Options.BatchSize} × {Options.SequenceLength} tokens = {Result.TokensSeen:N0} tokens ({(double)Result.TokensSeen / Math.Max(1, Corpus.TrainTokenCount):F2} epochs)");
        text.AppendLine(c, $"- AdamW, peak learning rate {Options.LearningRate}, {Options.WarmupSteps} warmup steps then linear decay, weight decay {Options.WeightDecay}, gradient clipping {Options.MaxGradNorm}, seed {Options.Seed}");
        text.AppendLine(c, $"- wall time: {Result.WallTime:h\\:mm\\:ss} on this machine (2 CPU cores){(Result.Resumed ? ", resumed from a checkpoint" : "")}");
        text.AppendLine();
        text.AppendLine("## Results");
        text.AppendLine();
        text.AppendLine("| metric | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(c, $"| final training loss (mean of the last 50 steps) | {Result.FinalTrainingLoss:F3} |");
        text.AppendLine(c, $"| held-out loss | {Result.HeldOut.Loss:F3} |");
        text.AppendLine(c, $"| held-out top-1 accuracy on {(ObjectiveDescription.Contains("span", StringComparison.Ordinal) ? "span-target tokens" : "masked tokens")} | {Result.HeldOut.Accuracy:P2} |");
        text.AppendLine(c, $"| unigram-frequency baseline (always the most frequent token) | {Result.HeldOut.UnigramBaselineAccuracy:P2} |");
        text.AppendLine(c, $"| held-out targets evaluated | {Result.HeldOut.Targets:N0} |");
        if (SampleEvaluation is { } sample)
            text.AppendLine(c, $"| shipped `{HeldOutSample.FileName}` (first 64 held-out windows, stored weights): accuracy / loss | {sample.Accuracy:P2} / {sample.Loss:F3} |");
        if (ProbeFills.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Probes (top-5 fills of `<mask>`)");
            text.AppendLine();
            foreach (var (probe, fills) in ProbeFills)
                text.AppendLine(c, $"- \"{probe}\" → {string.Join(", ", fills.Select(f => $"`{f}`"))}");
        }
        text.AppendLine();
        text.AppendLine("## Reproduce");
        text.AppendLine();
        text.AppendLine("```bash");
        text.AppendLine(reproduceCommand);
        text.AppendLine("```");
        return text.ToString();
    }
}
