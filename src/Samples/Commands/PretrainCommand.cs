using System.CommandLine;
using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Samples.Terminal;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>pretrain</c>: pre-trains a small RoBERTa (masked LM) or T5 (span corruption) and writes a Hugging Face folder with a model card.</summary>
internal static class PretrainCommand
{
    public static System.CommandLine.Command Create()
    {
        var architecture = new Option<string>("--architecture") { Description = "roberta (masked LM) or t5 (span corruption).", Required = true };
        architecture.AcceptOnlyFromAmong("roberta", "t5");
        var tokenizer = new Option<DirectoryInfo>("--tokenizer") { Description = "Folder with the tokenizer files (vocab.json + merges.txt, or spiece.model).", Required = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "Model folder to write; its checkpoint/ subfolder makes the run resumable.", Required = true };
        var shared = new Option<DirectoryInfo>("--shared") { Description = "The shared data folder: its corpus/ and the training splits of data/ form the corpus.", Required = true };
        var corpusCache = new Option<DirectoryInfo?>("--corpus-cache") { Description = "Where to cache the tokenized corpus (default: <output>/../.corpus-<architecture>)." };
        var layers = new Option<int>("--layers") { Description = "Encoder layers (T5: encoder and decoder layers each).", DefaultValueFactory = _ => 4 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden size (T5: d_model).", DefaultValueFactory = _ => 256 };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", DefaultValueFactory = _ => 4 };
        var ffn = new Option<int>("--ffn") { Description = "FFN size (T5: d_ff of the gated-gelu FFN).", DefaultValueFactory = _ => 1024 };
        var steps = new Option<int>("--steps") { Description = "Optimisation steps.", DefaultValueFactory = _ => 3000 };
        var batch = new Option<int>("--batch-size") { Description = "Sequences per step.", DefaultValueFactory = _ => 16 };
        var sequence = new Option<int>("--sequence-length") { Description = "Tokens per sequence (T5: raw tokens before corruption).", DefaultValueFactory = _ => 256 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Peak AdamW learning rate.", DefaultValueFactory = _ => 1e-3 };
        var warmup = new Option<int>("--warmup-steps") { Description = "Linear warmup steps.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seed of data order, masking and dropout.", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between resumable checkpoints.", DefaultValueFactory = _ => 100 };
        var initFrom = new Option<DirectoryInfo?>("--init-from") { Description = "Continue pre-training a model folder (its architecture and weights) instead of starting from scratch; the architecture options are then ignored." };
        var evalWindows = new Option<int>("--eval-windows") { Description = "Held-out sequences evaluated at the end.", DefaultValueFactory = _ => 2048 };

        var command = new System.CommandLine.Command("pretrain", "Pre-train a small RoBERTa or T5 from scratch on the shared corpus (resumable) and write a Hugging Face model folder with a model card.")
        {
            architecture, tokenizer, output, shared, corpusCache, layers, hidden, heads, ffn, steps, batch, sequence, learningRate, warmup, seed, threads, checkpointEvery, evalWindows, initFrom,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            string arch = parse.GetValue(architecture)!;
            string outputDirectory = parse.GetValue(output)!.FullName;
            int sequenceLength = parse.GetValue(sequence);
            object config = arch == "roberta"
                ? new BertConfig
                {
                    ModelType = "roberta", NumHiddenLayers = parse.GetValue(layers), HiddenSize = parse.GetValue(hidden),
                    NumAttentionHeads = parse.GetValue(heads), IntermediateSize = parse.GetValue(ffn),
                    // Positions beyond the pre-training length would stay untrained: the model reads what it was trained on.
                    MaxPositionEmbeddings = sequenceLength + 2, TypeVocabSize = 1, LayerNormEps = 1e-5,
                }
                : new T5Config
                {
                    NumLayers = parse.GetValue(layers), NumDecoderLayers = parse.GetValue(layers), DModel = parse.GetValue(hidden),
                    NumHeads = parse.GetValue(heads), DKv = parse.GetValue(hidden) / parse.GetValue(heads), DFf = parse.GetValue(ffn),
                    FeedForwardProj = "gated-gelu", TieWordEmbeddings = false, NPositions = 512,
                };
            var job = new PretrainingJob
            {
                Architecture = config,
                TokenizerDirectory = parse.GetValue(tokenizer)!.FullName,
                Sources = DefaultPretrainingSources.Create(parse.GetValue(shared)!.FullName),
                ExclusionSources = DefaultPretrainingSources.CreateEvaluationExclusions(parse.GetValue(shared)!.FullName),
                CorpusDirectory = parse.GetValue(corpusCache)?.FullName ?? Path.Combine(Path.GetDirectoryName(outputDirectory)!, ".corpus-" + arch),
                OutputDirectory = outputDirectory,
                InitializeFrom = parse.GetValue(initFrom)?.FullName,
                Threads = parse.GetValue(threads),
                Options = new PretrainingOptions
                {
                    Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), SequenceLength = sequenceLength,
                    LearningRate = parse.GetValue(learningRate), WarmupSteps = parse.GetValue(warmup), Seed = parse.GetValue(seed),
                    CheckpointEverySteps = parse.GetValue(checkpointEvery), EvaluationWindows = parse.GetValue(evalWindows),
                },
            };
            var corpusLine = new ProgressLine("corpus");
            var corpusWatch = System.Diagnostics.Stopwatch.StartNew();
            var trainLine = new ProgressLine("pretrain");
            var report = PretrainingPipeline.Run(job,
                new SynchronousProgress<CorpusBuildProgress>(p => corpusLine.Update((long)(p.Fraction * 1000), 1000, corpusWatch.Elapsed,
                    $"{p.Phase} {p.Documents:N0} documents, {p.Tokens:N0} tokens")),
                new SynchronousProgress<PretrainingProgress>(p => trainLine.Update(p.Step, p.TotalSteps, p.Elapsed,
                    $"loss {p.Loss:F3} lr {p.LearningRate:E2} {p.TokensPerSecond:F0} tok/s")),
                cancellationToken);
            string commandLine = "dotnet run --project src/Samples -c Release -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            File.WriteAllText(Path.Combine(outputDirectory, "README.md"), report.ToModelCard(commandLine));
            Console.WriteLine($"held-out loss {report.Result.HeldOut.Loss:F3}, accuracy {report.Result.HeldOut.Accuracy:P2} (unigram baseline {report.Result.HeldOut.UnigramBaselineAccuracy:P2}); model written to {outputDirectory}");
            return Task.FromResult(0);
        });
        return command;
    }
}
