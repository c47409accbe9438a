using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>Training produced a NaN or infinite loss; <see cref="LastGoodPrompt"/> holds the prompt before the failing step.</summary>
public sealed class NonFiniteLossException : InvalidOperationException
{
    public NonFiniteLossException(int step, double loss, Tensor lastGoodPrompt)
        : base($"The training loss became {loss} at step {step}; training stopped and the last finite prompt was kept. Lower the learning rate, check the inputs, or start from another initialisation.")
    {
        Step = step;
        Loss = loss;
        LastGoodPrompt = lastGoodPrompt;
    }

    /// <summary>The step whose loss was not finite.</summary>
    public int Step { get; }

    public double Loss { get; }

    /// <summary>The prompt <c>[N, hidden]</c> (CPU) before the failing step; the catcher owns it.</summary>
    public Tensor LastGoodPrompt { get; }
}
