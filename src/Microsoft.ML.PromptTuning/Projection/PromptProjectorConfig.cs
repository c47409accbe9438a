using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>
/// The shape of a <see cref="PromptProjector"/>: prompts of <paramref name="SourceTokens"/> × <paramref name="Source"/>'s hidden
/// size in, <paramref name="TargetTokens"/> × <paramref name="Target"/>'s hidden size out, through a hidden layer of
/// <paramref name="HiddenSize"/> units.
/// </summary>
/// <param name="Source">The backbone whose prompts are projected.</param>
/// <param name="Target">The backbone the projected prompts are for.</param>
/// <param name="SourceTokens">Soft tokens of a source prompt.</param>
/// <param name="TargetTokens">Soft tokens of a projected prompt; differs from <paramref name="SourceTokens"/> only with <paramref name="AllowLengthChange"/>.</param>
/// <param name="HiddenSize">Units of the hidden layer (768 in the paper's code).</param>
/// <param name="Activation">The hidden layer's nonlinearity.</param>
/// <param name="AllowLengthChange">Whether source and target prompt lengths may differ (an explicit choice, never a default).</param>
public sealed record PromptProjectorConfig(BackboneInfo Source, BackboneInfo Target, int SourceTokens, int TargetTokens,
    int HiddenSize = PromptProjectorConfig.DefaultHiddenSize, ProjectorActivation Activation = ProjectorActivation.Tanh, bool AllowLengthChange = false)
{
    /// <summary>The hidden layer's width in the paper's code.</summary>
    public const int DefaultHiddenSize = 768;

    /// <summary>Values per source prompt, the first layer's input width: <c>SourceTokens × Source.HiddenSize</c>.</summary>
    public int SourceWidth => SourceTokens * Source.HiddenSize;

    /// <summary>Values per projected prompt, the second layer's output width: <c>TargetTokens × Target.HiddenSize</c>.</summary>
    public int TargetWidth => TargetTokens * Target.HiddenSize;

    /// <summary>Checks the values; messages name the field at fault.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Source);
        ArgumentNullException.ThrowIfNull(Target);
        if (Source.HiddenSize < 1 || Target.HiddenSize < 1)
            throw new ArgumentException($"Backbone hidden sizes must be positive (source {Source.HiddenSize}, target {Target.HiddenSize}).");
        if (SourceTokens is < 1 or > PromptTemplate.MaxSoftTokens)
            throw new ArgumentOutOfRangeException(nameof(SourceTokens), SourceTokens, $"SourceTokens must lie in [1, {PromptTemplate.MaxSoftTokens}].");
        if (TargetTokens is < 1 or > PromptTemplate.MaxSoftTokens)
            throw new ArgumentOutOfRangeException(nameof(TargetTokens), TargetTokens, $"TargetTokens must lie in [1, {PromptTemplate.MaxSoftTokens}].");
        if (HiddenSize < 1)
            throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, "HiddenSize must be positive.");
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Unknown projector activation.");
        if (SourceTokens != TargetTokens && !AllowLengthChange)
            throw new ArgumentException(
                $"The source prompts have {SourceTokens} soft tokens but the target prompts {TargetTokens}; set AllowLengthChange to project between different lengths.",
                nameof(TargetTokens));
    }
}
