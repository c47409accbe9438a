using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Backbones.T5;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Everything a pre-training run needs: the architecture (a <see cref="BertConfig"/> for RoBERTa/BERT masked-LM training or
/// a <see cref="T5Config"/> for span corruption), the tokenizer folder, corpus sources, where to cache the tokenized corpus
/// and where to write the Hugging Face model folder.
/// </summary>
public sealed record PretrainingJob
{
    /// <summary>The architecture to build and train: <see cref="BertConfig"/> or <see cref="T5Config"/>.</summary>
    public required object Architecture { get; init; }

    /// <summary>Folder with the tokenizer files (copied into the output folder).</summary>
    public required string TokenizerDirectory { get; init; }

    /// <summary>Text files / JSONL fields / table columns the corpus is built from.</summary>
    public required IReadOnlyList<CorpusSource> Sources { get; init; }

    /// <summary>Texts kept out of the corpus wherever they appear (e.g. every task's dev/test texts, some of which recur in other tasks' training splits).</summary>
    public IReadOnlyList<CorpusSource> ExclusionSources { get; init; } = [];

    /// <summary>Where the tokenized corpus is cached (reused while the sources are unchanged).</summary>
    public required string CorpusDirectory { get; init; }

    /// <summary>
    /// A model folder whose weights start the run instead of a fresh initialisation (continued pre-training); its own
    /// configuration then replaces <see cref="Architecture"/>, and its vocabulary must be the tokenizer's.
    /// </summary>
    public string? InitializeFrom { get; init; }

    /// <summary>The Hugging Face model folder written at the end; its <c>checkpoint</c> subfolder holds the resumable state.</summary>
    public required string OutputDirectory { get; init; }

    public PretrainingOptions Options { get; init; } = new();

    /// <summary>Stored weight type of the final folder (float16 halves its size; loading converts back to float32).</summary>
    public ScalarType OutputDType { get; init; } = ScalarType.Float16;

    /// <summary>Sentences with one <c>&lt;mask&gt;</c> whose top-5 fills the report shows (masked LMs only).</summary>
    public IReadOnlyList<string> Probes { get; init; } = ["The movie was <mask>.", "I <mask> this film.", "The capital of France is <mask>."];

    /// <summary>Threads for TorchSharp's CPU kernels (0 keeps the current setting).</summary>
    public int Threads { get; init; }

    /// <summary>The resumable checkpoint folder.</summary>
    public string CheckpointDirectory => Path.Combine(OutputDirectory, "checkpoint");
}
