using System.Diagnostics;
using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// The special tokens a tokenizer puts around a single sequence (<c>&lt;s&gt; … &lt;/s&gt;</c>, <c>[CLS] … [SEP]</c>,
/// <c>… &lt;/s&gt;</c>), split into what goes before the content and what goes after it.
/// </summary>
internal sealed class SpecialTokenLayout
{
    private SpecialTokenLayout(int[] prefix, int[] suffix)
    {
        Prefix = prefix;
        Suffix = suffix;
    }

    /// <summary>The ids before the content (<c>&lt;s&gt;</c>, <c>[CLS]</c>; none for T5).</summary>
    public int[] Prefix { get; }

    /// <summary>The ids after the content (<c>&lt;/s&gt;</c>, <c>[SEP]</c>).</summary>
    public int[] Suffix { get; }

    /// <summary>Reads the layout by wrapping a one-token marker that no vocabulary holds.</summary>
    public static SpecialTokenLayout Of(ModelTokenizer tokenizer)
    {
        const int marker = -1;
        List<int> wrapped = tokenizer.AddSpecialTokens([marker]).ToList();
        int at = wrapped.IndexOf(marker);
        Debug.Assert(at >= 0 && wrapped.LastIndexOf(marker) == at, "AddSpecialTokens must keep the content once and in place.");
        return new SpecialTokenLayout(wrapped.Take(at).ToArray(), wrapped.Skip(at + 1).ToArray());
    }
}
