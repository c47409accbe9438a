using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>
/// A pre-trained language model backbone (masked LM or encoder-decoder) as TorchSharp modules whose parameter names are the
/// Hugging Face state-dict names. Prompt tuning keeps it frozen and feeds it <c>inputs_embeds</c>.
/// </summary>
public abstract class LanguageModel : nn.Module
{
    static LanguageModel() => NativeAllocator.EnsureTuned();

    private protected LanguageModel(string name) : base(name)
    {
    }

    /// <summary>The Hugging Face <c>model_type</c>: <c>bert</c>, <c>roberta</c> or <c>t5</c>.</summary>
    public abstract string ModelType { get; }

    /// <summary>Width of the token embeddings (and so of a soft prompt's rows).</summary>
    public abstract int HiddenSize { get; }

    /// <summary>Number of rows of the word-embedding matrix.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>The longest input (in tokens, soft prompt included) the model accepts.</summary>
    public abstract int MaxSequenceLength { get; }

    /// <summary>Number of layers whose FFN activations a <see cref="FfnActivationRecorder"/> collects.</summary>
    public abstract int FfnLayerCount { get; }

    /// <summary>Neurons per FFN layer (<c>intermediate_size</c> / <c>d_ff</c>).</summary>
    public abstract int FfnSize { get; }

    /// <summary>The configuration as a Hugging Face <c>config.json</c> object.</summary>
    public abstract JsonObject ToConfigJson();

    /// <summary>Word embeddings of <paramref name="inputIds"/> <c>[batch, tokens]</c> → <c>[batch, tokens, hidden]</c>.</summary>
    public abstract Tensor EmbedTokens(Tensor inputIds);

    /// <summary>
    /// Tied parameters: a parameter's name → the checkpoint keys that may hold its copy (e.g. the word embeddings →
    /// <c>lm_head.decoder.weight</c>). A copy is read when the file lacks the parameter's own key (files saved with
    /// duplicates removed keep only one name); otherwise copies are skipped and not reported as unused.
    /// </summary>
    internal abstract IReadOnlyDictionary<string, string[]> TiedCopies { get; }

    /// <summary>The base-model prefix some checkpoints use and others omit (e.g. <c>roberta.</c>); empty when none.</summary>
    internal virtual string BaseModelPrefix => "";

    /// <summary>The device holding the parameters.</summary>
    public Device Device => parameters().First().device;

    /// <summary>Stops all parameter gradients and switches to eval mode (no dropout): the frozen backbone of prompt tuning.</summary>
    public LanguageModel Freeze()
    {
        foreach (var parameter in parameters())
            parameter.requires_grad = false;
        eval();
        return this;
    }

    /// <summary>Throws when a sequence is longer than the model reads.</summary>
    protected void CheckLength(long tokens)
    {
        if (tokens > MaxSequenceLength)
            throw new ArgumentException($"The input has {tokens} tokens but the {ModelType} model reads at most {MaxSequenceLength}.");
    }
}
