namespace Microsoft.ML.PromptTuning.Tasks;

/// <summary>A split of a task's data.</summary>
public enum TaskSplit
{
    /// <summary>Rows the prompt is trained on.</summary>
    Train,

    /// <summary>Rows the best prompt is chosen on during training.</summary>
    Validation,

    /// <summary>Held-out rows that results are reported on.</summary>
    Test,
}
