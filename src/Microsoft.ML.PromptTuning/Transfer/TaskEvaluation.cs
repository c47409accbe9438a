using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>A target task's evaluation rows, encoded once with its template, scored for any prompt with its verbalizer.</summary>
internal sealed class TaskEvaluation
{
    private readonly PromptClassifier _classifier;
    private readonly List<EncodedPrompt> _rows;
    private readonly int[] _gold;
    private readonly int _batchSize;

    public TaskEvaluation(PromptTask task, PromptClassifier classifier, IReadOnlyList<Training.PromptExample> examples, int batchSize)
    {
        Task = task;
        _classifier = classifier;
        _rows = examples.Select(e => classifier.Encoder.Encode(e.Texts)).ToList();
        _gold = examples.Select(e => e.Label).ToArray();
        _batchSize = batchSize;
    }

    public PromptTask Task { get; }

    /// <summary>The task's metrics for <paramref name="prompt"/> <c>[N, hidden]</c> read through the task's template and verbalizer.</summary>
    public TaskScore Score(Tensor prompt)
    {
        var predicted = _classifier.Predict(_rows, prompt, _batchSize).Select(PromptClassifier.ArgMax).ToArray();
        return TaskScore.Compute(predicted, _gold, Task.Metric, Task.LabelWords.Count - 1);
    }
}
