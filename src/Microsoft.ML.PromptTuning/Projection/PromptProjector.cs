using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Prompts;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>
/// Maps a soft prompt of one backbone to a prompt of another (Su et al., 2022): flatten <c>[N_src, d_src]</c> →
/// <c>Linear(N_src·d_src → hidden)</c> → tanh (or leaky ReLU) → <c>Linear(hidden → N_tgt·d_tgt)</c> → reshape to
/// <c>[N_tgt, d_tgt]</c> → <c>LayerNorm(d_tgt)</c>. Parameter names are the state-dict keys of the saved safetensors file.
/// </summary>
public sealed class PromptProjector : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    internal readonly Linear fc1;
    internal readonly Linear fc2;
    internal readonly LayerNorm layer_norm;
#pragma warning restore IDE1006

    /// <summary>A projector of shape <paramref name="config"/>, its linear layers initialised as PyTorch does (uniform in
    /// ±1/√fan_in) from <paramref name="seed"/>, the layer norm to the identity.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid; the message names the field.</exception>
    public PromptProjector(PromptProjectorConfig config, int seed = 42) : base(nameof(PromptProjector))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        fc1 = nn.Linear(config.SourceWidth, config.HiddenSize);
        fc2 = nn.Linear(config.HiddenSize, config.TargetWidth);
        layer_norm = nn.LayerNorm(config.Target.HiddenSize);
        RegisterComponents();
        Initialize(seed);
    }

    /// <summary>The projector's shape and the backbones it connects.</summary>
    public PromptProjectorConfig Config { get; }

    /// <summary>The trainable parameters by state-dict name.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters => named_parameters().Select(p => (p.name, p.parameter)).ToList();

    /// <summary>Projects <c>[N_src, d_src]</c> → <c>[N_tgt, d_tgt]</c>, or a batch <c>[B, N_src, d_src]</c> → <c>[B, N_tgt, d_tgt]</c>.</summary>
    /// <exception cref="ArgumentException">The input does not have the source prompt's shape.</exception>
    public override Tensor forward(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        bool single = source.dim() == 2;
        if (source.dim() is not (2 or 3) || source.shape[^2] != Config.SourceTokens || source.shape[^1] != Config.Source.HiddenSize)
            throw new ArgumentException(
                $"The projector maps prompts of shape [{Config.SourceTokens}, {Config.Source.HiddenSize}] (optionally batched), not [{string.Join(", ", source.shape)}].", nameof(source));
        using var scope = NewDisposeScope();
        var batch = single ? source.unsqueeze(0) : source;
        var hidden = fc1.forward(batch.to(ScalarType.Float32).flatten(1));
        // max(x, 0.01·x) is leaky ReLU with slope 0.01, without the temporary Scalar TorchSharp makes for leaky_relu.
        hidden = Config.Activation == ProjectorActivation.Tanh ? hidden.tanh() : maximum(hidden, hidden.Times(0.01));
        var projected = layer_norm.forward(fc2.forward(hidden).view(-1, Config.TargetTokens, Config.Target.HiddenSize));
        return (single ? projected.squeeze(0) : projected).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The target-model prompt for <paramref name="source"/>: its projection, recorded for <see cref="PromptProjectorConfig.Target"/>
    /// with <paramref name="template"/> (default: the source's template carried over by <see cref="ProjectedTemplate"/>) and
    /// <paramref name="labelWords"/> (default: the source's).
    /// </summary>
    /// <exception cref="ArgumentException">The prompt comes from another backbone or has another length than the projector's source.</exception>
    public SoftPrompt Project(SoftPrompt source, PromptTemplate? template = null, LabelWords? labelWords = null)
    {
        EnsureSource(source);
        template ??= ProjectedTemplate.For(source.Template, Config.Target, Config.TargetTokens);
        var summary = new Dictionary<string, string>(source.TrainingSummary, StringComparer.Ordinal)
        {
            ["projected_from"] = source.Backbone.ToString(),
        };
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var projected = forward(source.Embeddings.to(fc1.weight.device)).cpu();
        return new SoftPrompt(projected, Config.Target, template, labelWords ?? source.LabelWords, summary);
    }

    /// <summary>Checks that <paramref name="source"/> is a prompt this projector maps.</summary>
    /// <exception cref="ArgumentException">It was trained for another backbone or has another length; the message names both.</exception>
    public void EnsureSource(SoftPrompt source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Backbone.IsSameArchitectureAs(Config.Source))
            throw new ArgumentException($"The prompt belongs to {source.Backbone}, but the projector maps prompts of {Config.Source}.", nameof(source));
        if (source.TokenCount != Config.SourceTokens)
            throw new ArgumentException($"The prompt has {source.TokenCount} soft tokens, but the projector maps prompts of {Config.SourceTokens}.", nameof(source));
    }

    /// <summary>Saves the weights and configuration as safetensors (state-dict names; configuration in the metadata), atomically.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        PromptProjectorFile.Write(this, path);
    }

    /// <summary>Loads a projector written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="Checkpoints.CheckpointFormatException">It is not a projector file, or a tensor is missing or misshapen.</exception>
    public static PromptProjector Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return PromptProjectorFile.Read(path);
    }

    /// <summary>Copies <paramref name="weights"/> (state-dict name → tensor) into the parameters.</summary>
    /// <exception cref="ArgumentException">A parameter is missing or has another shape; the message names it.</exception>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in NamedParameters)
        {
            if (!weights.TryGetValue(name, out var value))
                throw new ArgumentException($"No weights for projector parameter '{name}'.", nameof(weights));
            if (!value.shape.SequenceEqual(parameter.shape))
                throw new ArgumentException(
                    $"Projector parameter '{name}' is [{string.Join(", ", parameter.shape)}] but the weights are [{string.Join(", ", value.shape)}].", nameof(weights));
            parameter.copy_(value);
        }
    }

    private void Initialize(int seed)
    {
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)(uint)seed);   // a CPU generator: the same seed gives the same projector on any device
        foreach (var linear in new[] { fc1, fc2 })
        {
            double bound = 1 / Math.Sqrt(linear.weight.shape[1]);
            foreach (var parameter in new[] { linear.weight, linear.bias! })
            {
                using var uniform = rand(parameter.shape, generator: generator);
                using var scaled = uniform.TimesInPlace(2 * bound).Plus(-bound);
                parameter.copy_(scaled);
            }
        }
    }
}
