using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>T5 v1.0 FFN: <c>wo(dropout(act(wi(x))))</c>.</summary>
public sealed class T5DenseActDense : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Linear wi;
    internal readonly Linear wo;
#pragma warning restore IDE1006
    private readonly T5Config _config;

    internal T5DenseActDense(T5Config config) : base(nameof(T5DenseActDense))
    {
        wi = nn.Linear(config.DModel, config.DFf, hasBias: false);
        wo = nn.Linear(config.DFf, config.DModel, hasBias: false);
        _config = config;
        RegisterComponents();
    }

    /// <summary>Applies the FFN; the recorder sees the input projection <c>wi(x)</c> before the activation.</summary>
    public Tensor forward(Tensor x, FfnActivationRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var projected = wi.forward(x);
        recorder?.Record(projected, alreadyAtPositions: false);
        var activated = nn.functional.dropout(Activation.Apply(_config.DenseActivation, projected), _config.DropoutRate, training);
        return wo.forward(activated).MoveToOuterDisposeScope();
    }
}
