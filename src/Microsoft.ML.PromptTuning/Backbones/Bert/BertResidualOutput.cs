using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones.Bert;

/// <summary>Dense projection, dropout, residual add and LayerNorm (HF <c>attention.output</c> and <c>output</c>).</summary>
public sealed class BertResidualOutput : nn.Module
{
#pragma warning disable IDE1006
    internal readonly Linear dense;
    internal readonly LayerNorm LayerNorm;
#pragma warning restore IDE1006
    private readonly double _dropout;

    internal BertResidualOutput(BertConfig config, int inputSize) : base(nameof(BertResidualOutput))
    {
        dense = nn.Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _dropout = config.HiddenDropoutProb;
        RegisterComponents();
    }

    /// <summary><c>LayerNorm(dropout(dense(x)) + residual)</c>, shapes <c>[batch, K, *]</c> → <c>[batch, K, hidden]</c>.</summary>
    public Tensor forward(Tensor x, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var projected = nn.functional.dropout(dense.forward(x), _dropout, training);
        return LayerNorm.forward(projected.add(residual, RootedScalars.One)).MoveToOuterDisposeScope();   // explicit alpha: see RootedScalars
    }
}
