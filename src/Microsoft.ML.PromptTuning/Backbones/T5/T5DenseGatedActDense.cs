using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.T5;

/// <summary>T5 v1.1 gated FFN: <c>wo(dropout(act(wi_0(x)) · wi_1(x)))</c>.</summary>
public sealed class T5DenseGatedActDense : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Linear wi_0;
    internal readonly Linear wi_1;
    internal readonly Linear wo;
#pragma warning restore IDE1006
    private readonly T5Config _config;

    internal T5DenseGatedActDense(T5Config config) : base(nameof(T5DenseGatedActDense))
    {
        wi_0 = nn.Linear(config.DModel, config.DFf, hasBias: false);
        wi_1 = nn.Linear(config.DModel, config.DFf, hasBias: false);
        wo = nn.Linear(config.DFf, config.DModel, hasBias: false);
        _config = config;
        RegisterComponents();
    }

    /// <summary>Applies the FFN; the recorder sees the gate projection <c>wi_0(x)</c> before the activation.</summary>
    public Tensor forward(Tensor x, FfnActivationRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var gate = wi_0.forward(x);
        recorder?.Record(gate, alreadyAtPositions: false);
        var hidden = Activation.Apply(_config.DenseActivation, gate) * wi_1.forward(x);
        return wo.forward(nn.functional.dropout(hidden, _config.DropoutRate, training)).MoveToOuterDisposeScope();
    }
}
