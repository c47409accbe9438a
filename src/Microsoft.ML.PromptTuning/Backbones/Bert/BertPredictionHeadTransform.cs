using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>Dense, activation and LayerNorm before the MLM decoder (HF <c>cls.predictions.transform</c>).</summary>
public sealed class BertPredictionHeadTransform : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Linear dense;
    internal readonly LayerNorm LayerNorm;
#pragma warning restore IDE1006
    private readonly string _activation;

    internal BertPredictionHeadTransform(BertConfig config) : base(nameof(BertPredictionHeadTransform))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _activation = config.HiddenAct;
        RegisterComponents();
    }

    public Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(Activation.Apply(_activation, dense.forward(hidden))).MoveToOuterDisposeScope();
    }
}
