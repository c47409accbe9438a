namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>Literal hard-prompt text, encoded as written (for example <c> It was</c>); braces are written doubled in a template.</summary>
/// <param name="Text">The literal text, never empty.</param>
public sealed record TextPart(string Text) : TemplatePart
{
    /// <inheritdoc/>
    public override string ToString() => (Text ?? "").Replace("{", "{{").Replace("}", "}}");
}
