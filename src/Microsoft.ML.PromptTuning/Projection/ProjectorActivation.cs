namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>The nonlinearity between the projector's two linear layers.</summary>
public enum ProjectorActivation
{
    /// <summary><c>tanh</c>, as in the paper's code.</summary>
    Tanh,

    /// <summary>Leaky ReLU with negative slope 0.01.</summary>
    LeakyReLU,
}
