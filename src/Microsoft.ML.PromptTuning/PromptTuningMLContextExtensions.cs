namespace Microsoft.ML.PromptTuning;

/// <summary>The entry point of the library on an <see cref="MLContext"/>.</summary>
public static class PromptTuningMLContextExtensions
{
    /// <summary>Soft-prompt tuning and prompt transfer for this context (also registers the library for loading saved models).</summary>
    public static PromptTuningCatalog PromptTuning(this MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new PromptTuningCatalog(context);
    }
}
