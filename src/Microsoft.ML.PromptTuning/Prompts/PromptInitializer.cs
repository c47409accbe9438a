using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>Creates the starting values of a soft prompt <c>[N, hidden]</c> for a backbone, deterministically from a seed.</summary>
public static class PromptInitializer
{
    /// <summary>
    /// A new float32 tensor <c>[<paramref name="tokenCount"/>, backbone.HiddenSize]</c> on the backbone's device, detached (call
    /// <c>requires_grad_()</c> to train it), filled as <paramref name="options"/> say.
    /// </summary>
    /// <param name="backbone">The model the prompt is for; its word embeddings feed the vocabulary and text modes.</param>
    /// <param name="tokenCount">The prompt length N (the template's <see cref="PromptTemplate.SoftTokenCount"/>).</param>
    /// <param name="options">The mode and its settings; sampled-vocabulary with seed 42 when null.</param>
    /// <param name="tokenizer">The backbone's tokenizer: required by <see cref="PromptInitialization.FromText"/>; lets
    /// <see cref="PromptInitialization.SampledVocabulary"/> skip special and unused tokens.</param>
    /// <exception cref="ArgumentException">A setting the mode needs is missing or does not fit the backbone; the message names it.</exception>
    public static Tensor Create(LanguageModel backbone, int tokenCount, PromptInitializerOptions? options = null, ModelTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tokenCount, PromptTemplate.MaxSoftTokens);
        options ??= new PromptInitializerOptions();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor prompt = options.Mode switch
        {
            PromptInitialization.RandomNormal => RandomNormal(backbone, tokenCount, options),
            PromptInitialization.SampledVocabulary => EmbeddingRows(backbone, SampleVocabulary(backbone, tokenCount, options, tokenizer)),
            PromptInitialization.FromText => EmbeddingRows(backbone, TextIds(backbone, tokenCount, options, tokenizer)),
            PromptInitialization.FromPrompt => CopyPrompt(backbone, tokenCount, options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "Unknown prompt initialization mode."),
        };
        return prompt.to(ScalarType.Float32, backbone.Device).contiguous().detach().MoveToOuterDisposeScope();
    }

    private static Tensor RandomNormal(LanguageModel backbone, int tokenCount, PromptInitializerOptions options)
    {
        double std = options.NormalStd ?? EmbeddingStd(backbone);
        if (!(std > 0) || double.IsInfinity(std))
            throw new ArgumentException($"NormalStd must be a positive finite number, not {std}.", nameof(options));
        using var generator = new Generator((ulong)(uint)options.Seed);   // a CPU generator, so the values do not depend on the device
        return randn([tokenCount, backbone.HiddenSize], ScalarType.Float32, generator: generator) * std;
    }

    private static double EmbeddingStd(LanguageModel backbone) => backbone switch
    {
        MaskedLanguageModel mlm => mlm.WordEmbeddings.std().item<float>(),
        Backbones.T5.T5ForConditionalGeneration t5 => t5.WordEmbeddings.std().item<float>(),
        _ => throw new ArgumentException($"The {backbone.ModelType} backbone exposes no word-embedding matrix; set NormalStd.", nameof(backbone)),
    };

    /// <summary>Distinct ids while enough candidates exist (a partial Fisher–Yates shuffle), then repeats.</summary>
    private static long[] SampleVocabulary(LanguageModel backbone, int tokenCount, PromptInitializerOptions options, ModelTokenizer? tokenizer)
    {
        int range = options.VocabularySampleSize is int size
            ? size > 0 ? Math.Min(size, backbone.VocabularySize) : throw new ArgumentException($"VocabularySampleSize must be positive, not {size}.", nameof(options))
            : backbone.VocabularySize;
        List<int> candidates = Enumerable.Range(0, range).Where(id => tokenizer is null || IsOrdinaryToken(tokenizer, id)).ToList();
        if (candidates.Count == 0)
            throw new ArgumentException($"No ordinary token lies among the first {range} ids to sample from.", nameof(options));
        var random = new SplitMix64((ulong)(uint)options.Seed);
        var ids = new long[tokenCount];
        for (int i = 0; i < tokenCount; i++)
        {
            int remaining = candidates.Count - i;
            if (remaining > 0)
            {
                int pick = i + (int)random.NextBelow((ulong)remaining);
                (candidates[i], candidates[pick]) = (candidates[pick], candidates[i]);
                ids[i] = candidates[i];
            }
            else
                ids[i] = candidates[(int)random.NextBelow((ulong)candidates.Count)];
        }
        return ids;
    }

    private static bool IsOrdinaryToken(ModelTokenizer tokenizer, int id)
    {
        SpecialTokens special = tokenizer.Special;
        if (id == special.PadId || id == special.BosId || id == special.EosId || id == special.MaskId || id == special.UnknownId)
            return false;
        string? token = tokenizer.IdToToken(id);
        return token is not null && !token.StartsWith("[unused", StringComparison.Ordinal) && !token.StartsWith("<extra_id_", StringComparison.Ordinal);
    }

    /// <summary>The text's ids, cut to the prompt length or cycled up to it (as PEFT's <c>TEXT</c> initialisation repeats them).</summary>
    private static long[] TextIds(LanguageModel backbone, int tokenCount, PromptInitializerOptions options, ModelTokenizer? tokenizer)
    {
        if (tokenizer is null)
            throw new ArgumentNullException(nameof(tokenizer), "FromText initialization needs the backbone's tokenizer.");
        if (string.IsNullOrWhiteSpace(options.Text))
            throw new ArgumentException("FromText initialization needs a non-empty Text.", nameof(options));
        IReadOnlyList<int> textIds = tokenizer.EncodeText(options.Text);
        if (textIds.Count == 0)
            throw new ArgumentException($"The initialization text \"{options.Text}\" encodes to no tokens.", nameof(options));
        if (textIds.Any(id => id >= backbone.VocabularySize))
            throw new ArgumentException(
                $"The initialization text has token ids beyond the backbone's vocabulary of {backbone.VocabularySize}; the tokenizer does not match the backbone.", nameof(tokenizer));
        return Enumerable.Range(0, tokenCount).Select(i => (long)textIds[i % textIds.Count]).ToArray();
    }

    private static Tensor EmbeddingRows(LanguageModel backbone, long[] ids)
    {
        using Tensor idTensor = tensor(ids, [1, ids.Length], ScalarType.Int64, backbone.Device);
        return backbone.EmbedTokens(idTensor).squeeze(0);
    }

    private static Tensor CopyPrompt(LanguageModel backbone, int tokenCount, PromptInitializerOptions options)
    {
        SoftPrompt source = options.Source
            ?? throw new ArgumentException("FromPrompt initialization needs a Source prompt.", nameof(options));
        source.EnsureCompatibleWith(backbone);
        if (source.TokenCount != tokenCount)
            throw new ArgumentException(
                $"The source prompt has {source.TokenCount} soft tokens but {tokenCount} are requested; transfer between equal lengths.", nameof(tokenCount));
        return source.Embeddings.clone();
    }
}
