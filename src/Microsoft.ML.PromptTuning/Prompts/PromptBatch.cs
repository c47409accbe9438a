using Microsoft.ML.PromptTuning.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// Encoded rows collated into right-padded tensors, padded only to the batch's longest row, and the splice that turns
/// them into <c>inputs_embeds</c> with the soft prompt in its slots. Owns its tensors.
/// </summary>
public sealed class PromptBatch : IDisposable
{
    private PromptBatch(Tensor inputIds, Tensor softIndex, Tensor attentionMask, Tensor? maskPositions, int softTokenCount)
    {
        // The batch owns its tensors: no dispose scope the caller has open may release them.
        InputIds = inputIds.DetachFromDisposeScope();
        SoftIndex = softIndex.DetachFromDisposeScope();
        AttentionMask = attentionMask.DetachFromDisposeScope();
        MaskPositions = maskPositions?.DetachFromDisposeScope();
        SoftTokenCount = softTokenCount;
    }

    /// <summary>Token ids <c>[batch, T]</c> (int64); soft slots and padding hold the pad id.</summary>
    public Tensor InputIds { get; }

    /// <summary>The prompt row filling each position <c>[batch, T]</c> (int64), -1 for hard tokens and padding.</summary>
    public Tensor SoftIndex { get; }

    /// <summary>Attention mask <c>[batch, T]</c> (float32): 1 for real tokens and soft slots, 0 for padding.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>Each row's mask position <c>[batch]</c> (int64), or null when the template has no <c>{mask}</c>.</summary>
    public Tensor? MaskPositions { get; }

    /// <summary>The number of rows.</summary>
    public int BatchSize => (int)InputIds.shape[0];

    /// <summary>The padded length T, the longest row's length.</summary>
    public int SequenceLength => (int)InputIds.shape[1];

    /// <summary>The number of soft slots per row, i.e. of prompt rows <see cref="EmbedInputs"/> expects.</summary>
    public int SoftTokenCount { get; }

    /// <summary>Collates rows encoded with one template, padding with <paramref name="padId"/> to the longest row.</summary>
    /// <param name="rows">At least one row, all from the same template.</param>
    /// <param name="padId">The tokenizer's pad id (<see cref="Tokenization.SpecialTokens.PadId"/>).</param>
    /// <param name="device">Where the tensors go; CPU when null.</param>
    /// <exception cref="ArgumentException">No rows, or rows that disagree on soft-token count or on having a mask.</exception>
    public static PromptBatch Collate(IReadOnlyList<EncodedPrompt> rows, int padId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            throw new ArgumentException("A batch needs at least one row.", nameof(rows));
        if (rows.Any(r => r is null))
            throw new ArgumentException("A row of the batch is null.", nameof(rows));
        int softTokens = rows[0].SoftTokenCount;
        bool hasMask = rows[0].MaskPosition >= 0;
        if (rows.Any(r => r.SoftTokenCount != softTokens || r.MaskPosition >= 0 != hasMask))
            throw new ArgumentException("The rows come from different templates: they disagree on the soft-token count or on having a mask.", nameof(rows));

        int batch = rows.Count, length = rows.Max(r => r.Length);
        var ids = new long[batch * length];
        var softIndex = new long[batch * length];
        var mask = new float[batch * length];
        Array.Fill(ids, padId);
        Array.Fill(softIndex, -1L);
        for (int b = 0; b < batch; b++)
        {
            EncodedPrompt row = rows[b];
            for (int t = 0; t < row.Length; t++)
            {
                ids[b * length + t] = row.InputIds[t];
                softIndex[b * length + t] = row.SoftIndex[t];
                mask[b * length + t] = 1f;
            }
        }
        device ??= CPU;
        return new PromptBatch(
            tensor(ids, [batch, length], ScalarType.Int64, device),
            tensor(softIndex, [batch, length], ScalarType.Int64, device),
            tensor(mask, [batch, length], ScalarType.Float32, device),
            hasMask ? tensor(rows.Select(r => (long)r.MaskPosition).ToArray(), [batch], ScalarType.Int64, device) : null,
            softTokens);
    }

    /// <summary>
    /// <c>inputs_embeds</c> <c>[batch, T, hidden]</c>: the backbone's word embeddings of the hard tokens, with row
    /// <c>SoftIndex[b, t]</c> of <paramref name="prompt"/> at every soft slot. Built with gather and select ops, so the
    /// gradient reaches <paramref name="prompt"/> (each row receiving the sum over its slots) and nothing else.
    /// </summary>
    /// <param name="backbone">The model whose <see cref="LanguageModel.EmbedTokens"/> embeds the hard tokens.</param>
    /// <param name="prompt">The soft prompt <c>[SoftTokenCount, hidden]</c>, on the batch's device; it may require grad.</param>
    /// <exception cref="ArgumentException">The prompt's shape does not match the batch and backbone, or it lives on another device.</exception>
    public Tensor EmbedInputs(LanguageModel backbone, Tensor prompt)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.dim() != 2 || prompt.shape[0] != SoftTokenCount || prompt.shape[1] != backbone.HiddenSize)
            throw new ArgumentException(
                $"The prompt has shape [{string.Join(", ", prompt.shape)}]; this batch and the {backbone.ModelType} backbone need " +
                $"[{SoftTokenCount}, {backbone.HiddenSize}].", nameof(prompt));
        if (prompt.device_type != InputIds.device_type || prompt.device_index != InputIds.device_index)
            throw new ArgumentException($"The prompt is on {prompt.device} but the batch is on {InputIds.device}.", nameof(prompt));

        if (SoftTokenCount == 0)
            return backbone.EmbedTokens(InputIds); // a hard-prompt template: nothing to splice
        using var scope = NewDisposeScope();
        Tensor embeds = backbone.EmbedTokens(InputIds);
        Tensor isSoft = SoftIndex.AtLeast(0).unsqueeze(-1);
        Tensor promptRows = prompt.to(embeds.dtype).index_select(0, SoftIndex.ClampMin(0).flatten())
            .view(BatchSize, SequenceLength, -1);
        return where(isSoft, promptRows, embeds).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        InputIds.Dispose();
        SoftIndex.Dispose();
        AttentionMask.Dispose();
        MaskPositions?.Dispose();
    }
}
