using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Backbones.T5;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Initialises a fresh model the way transformers' <c>_init_weights</c> does, before pre-training.</summary>
public static class WeightInitializer
{
    /// <summary>Re-draws every parameter of <paramref name="model"/> from its architecture's initial distribution, seeded.</summary>
    public static void Initialize(LanguageModel model, int seed)
    {
        manual_seed(seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            double? std = model switch
            {
                MaskedLanguageModel mlm => BertStd(name, mlm.Config),
                T5ForConditionalGeneration t5 => T5Std(name, t5.Config),
                _ => throw new NotSupportedException($"No initialisation rule for {model.GetType().Name}."),
            };
            if (std is double value)
                parameter.normal_(0, value);
            else if (name.EndsWith("bias", StringComparison.Ordinal))
                parameter.zero_();
            else
                nn.init.ones_(parameter); // norm scales
        }
        if (model is MaskedLanguageModel masked)
            masked.WordEmbeddings[masked.Config.PadTokenId].zero_();
    }

    /// <summary>BERT/RoBERTa: N(0, initializer_range) for matrices and embeddings; null (zero bias / unit scale) otherwise.</summary>
    private static double? BertStd(string name, BertConfig config) =>
        name.Contains("LayerNorm", StringComparison.Ordinal) || name.Contains("layer_norm", StringComparison.Ordinal) || name.EndsWith("bias", StringComparison.Ordinal)
            ? null
            : config.InitializerRange;

    /// <summary>T5: fan-in scaled normals per projection (Mesh TensorFlow's initialisation).</summary>
    private static double? T5Std(string name, T5Config c)
    {
        double f = c.InitializerFactor;
        if (name.Contains("layer_norm", StringComparison.Ordinal))
            return null;
        if (name == "shared.weight")
            return f;
        if (name == "lm_head.weight")
            return f * Math.Pow(c.DModel, -0.5);
        if (name.EndsWith(".q.weight", StringComparison.Ordinal))
            return f * Math.Pow((double)c.DModel * c.DKv, -0.5);
        if (name.EndsWith(".k.weight", StringComparison.Ordinal) || name.EndsWith(".v.weight", StringComparison.Ordinal))
            return f * Math.Pow(c.DModel, -0.5);
        if (name.EndsWith(".o.weight", StringComparison.Ordinal))
            return f * Math.Pow((double)c.NumHeads * c.DKv, -0.5);
        if (name.EndsWith("relative_attention_bias.weight", StringComparison.Ordinal))
            return f * Math.Pow(c.DModel, -0.5);
        if (name.Contains(".wi", StringComparison.Ordinal))
            return f * Math.Pow(c.DModel, -0.5);
        if (name.EndsWith(".wo.weight", StringComparison.Ordinal))
            return f * Math.Pow(c.DFf, -0.5);
        throw new InvalidOperationException($"No T5 initialisation rule for parameter '{name}'.");
    }
}
