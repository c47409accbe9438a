namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>How a prompt projector is trained (Su et al., 2022, section 6).</summary>
public enum ProjectionMethod
{
    /// <summary>Minimise the distance between projected source prompts and target-model prompts trained on the same task.</summary>
    DistanceMinimizing,

    /// <summary>Train the projector on the target model's task loss, with the projected source prompt plugged into the frozen target backbone.</summary>
    TaskTuning,
}
