using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>Training produced a NaN or infinite loss or gradient; <see cref="LastGoodPrompt"/> holds the prompt before the failing step.</summary>
public sealed class NonFiniteLossException : InvalidOperationException
{
    private const string Advice = "training stopped and the last finite prompt was kept. Lower the learning rate, check the inputs, " +
        "start from another initialisation, or let SoftPromptTrainerOptions.MaxSkippedNonFiniteSteps skip such batches.";

    public NonFiniteLossException(int step, double loss, Tensor lastGoodPrompt)
        : this($"The training loss became {loss} at step {step}; {Advice}", step, loss, lastGoodPrompt)
    {
    }

    private NonFiniteLossException(string message, int step, double loss, Tensor lastGoodPrompt)
        : base(message)
    {
        Step = step;
        Loss = loss;
        LastGoodPrompt = lastGoodPrompt;
    }

    /// <summary>The step whose loss (or gradient) was not finite.</summary>
    public int Step { get; }

    /// <summary>The step's loss (finite when it was the gradient that was not).</summary>
    public double Loss { get; }

    /// <summary>The prompt <c>[N, hidden]</c> (CPU) before the failing step; the catcher owns it.</summary>
    public Tensor LastGoodPrompt { get; }

    /// <summary>A finite loss whose gradient norm is <paramref name="gradientNorm"/> (NaN or infinite).</summary>
    internal static NonFiniteLossException ForGradient(int step, double loss, double gradientNorm, Tensor lastGoodPrompt) =>
        new($"The gradient norm became {gradientNorm} at step {step} (loss {loss}); {Advice}", step, loss, lastGoodPrompt);
}
