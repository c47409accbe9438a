using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Options of <see cref="SoftPromptEstimator"/>: the frozen backbone, the template, initialisation and training, and (from
/// <see cref="TextClassifierOptions"/>) the columns and verbalizer; without label words each label's own text is its word.
/// </summary>
public sealed class SoftPromptOptions : TextClassifierOptions
{
    /// <summary>The backbone: a Hugging Face model folder or hub id (<c>org/name[@revision]</c>). Required.</summary>
    public string Backbone { get; set; } = "";

    /// <summary>The template; null uses <c>{soft:N}{mask}{text_a}{text_b?}</c> for masked LMs and <c>{soft:N}{text_a}{text_b?}</c> for T5.</summary>
    public string? Template { get; set; }

    /// <summary>Soft tokens of the default template (ignored when <see cref="Template"/> is given).</summary>
    public int PromptLength { get; set; } = 100;

    /// <summary>How the prompt starts (random, sampled vocabulary, a text, or an existing prompt for transfer).</summary>
    public PromptInitializerOptions Initialization { get; set; } = new();

    public SoftPromptTrainerOptions Trainer { get; set; } = new();

    /// <summary>Checks the values; messages name the option at fault.</summary>
    /// <summary>A copy whose lists and initialisation options can change without touching this one (the trainer options are a record).</summary>
    internal SoftPromptOptions Clone()
    {
        var copy = (SoftPromptOptions)MemberwiseClone();
        copy.TextColumnNames = TextColumnNames.ToList();
        copy.Initialization = Initialization.Clone();
        return copy;
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Backbone))
            throw new ArgumentException("SoftPromptOptions.Backbone must name a model folder or hub id.", nameof(Backbone));
        ValidateColumns();
        if (Template is null && PromptLength is < 1 or > PromptTemplate.MaxSoftTokens)
            throw new ArgumentOutOfRangeException(nameof(PromptLength), PromptLength, $"PromptLength must lie in [1, {PromptTemplate.MaxSoftTokens}].");
        if (Template is not null && PromptTemplate.Parse(Template).SoftTokenCount == 0)
            throw new ArgumentException($"The template \"{Template}\" has no soft tokens, so there is no prompt to train; add {{soft}} or {{soft:N}}.", nameof(Template));
        Trainer.Validate();
    }
}
