using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// Maps the backbone's vocabulary predictions to per-label scores <c>[batch, labels]</c> through label words tokenized in
/// their word-initial form (<c>" positive"</c> → <c>Ġpositive</c> for byte-level BPE). Immutable.
/// </summary>
/// <remarks>
/// A word's score is the log-probability (log-softmax over the whole vocabulary) of its first token, or the mean over its
/// tokens (<see cref="MultiTokenHandling"/>). A label with several words scores the log of the mean of their probabilities
/// (log-mean-exp of the word scores), as OpenPrompt averages label-word probabilities. Cross-entropy over the label
/// dimension of these scores is the training loss.
/// </remarks>
public sealed class Verbalizer
{
    private readonly int[][] _wordTokens;
    private readonly int[] _wordLabel;
    private readonly int[][] _labelWordIndices;

    /// <summary>Tokenizes the label words.</summary>
    /// <exception cref="ArgumentException">A word encodes to no tokens, to the unknown token or to another special token, or two
    /// labels have words with the same scored tokens (so they could never be told apart); the message names the word.</exception>
    public Verbalizer(LabelWords labelWords, ModelTokenizer tokenizer, MultiTokenHandling handling = MultiTokenHandling.First)
    {
        ArgumentNullException.ThrowIfNull(labelWords);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (!Enum.IsDefined(handling))
            throw new ArgumentOutOfRangeException(nameof(handling), handling, "Unknown multi-token handling.");
        LabelWords = labelWords;
        Handling = handling;
        var tokens = new List<int[]>();
        var labels = new List<int>();
        _labelWordIndices = new int[labelWords.Count][];
        for (int label = 0; label < labelWords.Count; label++)
        {
            var indices = new List<int>();
            foreach (string word in labelWords.WordsAt(label))
            {
                indices.Add(tokens.Count);
                tokens.Add(TokenizeWord(word, labelWords.Labels[label], tokenizer));
                labels.Add(label);
            }
            _labelWordIndices[label] = indices.ToArray();
        }
        _wordTokens = tokens.ToArray();
        _wordLabel = labels.ToArray();
        CheckDistinguishable();
    }

    /// <summary>The labels and their words.</summary>
    public LabelWords LabelWords { get; }

    /// <summary>How multi-token words are scored.</summary>
    public MultiTokenHandling Handling { get; }

    /// <summary>The labels in score-column order.</summary>
    public IReadOnlyList<string> Labels => LabelWords.Labels;

    /// <summary>The number of labels (score columns).</summary>
    public int LabelCount => LabelWords.Count;

    /// <summary>Every label word's token ids, words in label order (all words of label 0, then of label 1, …); for encoder-decoder
    /// models these are the decoder targets.</summary>
    public IReadOnlyList<int[]> WordTokenIds => _wordTokens;

    /// <summary>The label index of each word of <see cref="WordTokenIds"/>.</summary>
    public IReadOnlyList<int> WordLabelIndices => _wordLabel;

    /// <summary>The most tokens any label word has; the decoder steps <see cref="SequenceScores"/> needs.</summary>
    public int MaxWordTokens => Handling == MultiTokenHandling.First ? 1 : _wordTokens.Max(w => w.Length);

    /// <summary>The score column of <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentException">The label is unknown; the message lists the known ones.</exception>
    public int LabelIndex(string label) => LabelWords.IndexOf(label);

    /// <summary>Training targets <c>[batch]</c> (int64): the score column of each label.</summary>
    /// <exception cref="ArgumentException">A label is unknown.</exception>
    public Tensor LabelIndices(IEnumerable<string> labels, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        long[] indices = labels.Select(l => (long)LabelIndex(l)).ToArray();
        return tensor(indices, [indices.Length], ScalarType.Int64, device ?? CPU);
    }

    /// <summary>
    /// Label scores <c>[batch, labels]</c> from vocabulary logits <c>[batch, vocab]</c> at one position: a masked LM's logits at
    /// the mask, or an encoder-decoder's first decoder step (<see cref="T5ForConditionalGeneration.FirstStepLogits"/>, which is
    /// exact for <see cref="MultiTokenHandling.First"/>). With <see cref="MultiTokenHandling.Mean"/> all of a word's tokens are
    /// read at this one position.
    /// </summary>
    /// <exception cref="ArgumentException">The logits are not <c>[batch, vocab]</c>, or a label word's id is outside the vocabulary.</exception>
    public Tensor Scores(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() != 2)
            throw new ArgumentException(
                $"Expected logits [batch, vocab] but got [{string.Join(", ", logits.shape)}]; select the mask position first (e.g. squeeze(1)).", nameof(logits));
        CheckVocabulary(logits.shape[1]);
        using var scope = NewDisposeScope();
        Tensor logProbs = logits.to(ScalarType.Float32).log_softmax(-1);
        Tensor wordScores = Handling == MultiTokenHandling.First
            ? logProbs.index_select(1, IdTensor(_wordTokens.Select(w => w[0]), logits.device))
            : MeanOverPieces(logProbs);
        return CombineWords(wordScores).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Teacher-forcing decoder inputs <c>[words, S]</c> (int64), <c>S</c> = <see cref="MaxWordTokens"/>: for a word with tokens
    /// <c>t0 … tk-1</c> the row is <c>[start, t0, …, tk-2]</c> then padding, so step <c>j</c> predicts <c>tj</c>.
    /// </summary>
    public Tensor DecoderInputIds(int decoderStartTokenId, int padId, Device? device = null)
    {
        int steps = MaxWordTokens;
        var ids = new long[_wordTokens.Length * steps];
        Array.Fill(ids, padId);
        for (int w = 0; w < _wordTokens.Length; w++)
        {
            ids[w * steps] = decoderStartTokenId;
            for (int j = 1; j < Math.Min(steps, _wordTokens[w].Length); j++)
                ids[w * steps + j] = _wordTokens[w][j - 1];
        }
        return tensor(ids, [_wordTokens.Length, steps], ScalarType.Int64, device ?? CPU);
    }

    /// <summary>
    /// Label scores <c>[batch, labels]</c> from teacher-forced decoder logits <c>[batch, words, S, vocab]</c>, where row
    /// <c>[b, w]</c> decoded <see cref="DecoderInputIds"/> row <c>w</c> over input <c>b</c>: a word scores the log-probability
    /// of its first token (<see cref="MultiTokenHandling.First"/>) or the mean over its tokens, each at its own step.
    /// </summary>
    /// <exception cref="ArgumentException">The logits do not have that shape.</exception>
    public Tensor SequenceScores(Tensor decoderLogits)
    {
        ArgumentNullException.ThrowIfNull(decoderLogits);
        if (decoderLogits.dim() != 4 || decoderLogits.shape[1] != _wordTokens.Length || decoderLogits.shape[2] < MaxWordTokens)
            throw new ArgumentException(
                $"Expected decoder logits [batch, {_wordTokens.Length} words, ≥{MaxWordTokens} steps, vocab] but got " +
                $"[{string.Join(", ", decoderLogits.shape)}].", nameof(decoderLogits));
        CheckVocabulary(decoderLogits.shape[3]);
        using var scope = NewDisposeScope();
        long batch = decoderLogits.shape[0], words = _wordTokens.Length;
        int steps = MaxWordTokens;
        Device device = decoderLogits.device;
        Tensor logProbs = decoderLogits.narrow(2, 0, steps).to(ScalarType.Float32).log_softmax(-1);
        var targets = new long[words * steps];
        var valid = new float[words * steps];
        for (int w = 0; w < words; w++)
            for (int j = 0; j < Math.Min(steps, _wordTokens[w].Length); j++)
            {
                targets[w * steps + j] = _wordTokens[w][j];
                valid[w * steps + j] = 1f;
            }
        Tensor targetIds = tensor(targets, [1, words, steps, 1], ScalarType.Int64, device).expand(batch, -1, -1, -1);
        Tensor tokenScores = logProbs.gather(3, targetIds).squeeze(3);                    // [batch, words, steps]
        Tensor validMask = tensor(valid, [1, words, steps], ScalarType.Float32, device);
        Tensor wordScores = (tokenScores * validMask).sum(2) / validMask.sum(2);          // [batch, words]
        return CombineWords(wordScores).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs <paramref name="model"/>'s decoder teacher-forced on every label word over the encoded inputs and scores the labels
    /// (<see cref="SequenceScores"/>): <paramref name="encoderHidden"/> <c>[batch, T, d_model]</c>, <paramref name="encoderMask"/>
    /// <c>[batch, T]</c> → <c>[batch, labels]</c>. The decoder sees <c>batch × words</c> rows.
    /// </summary>
    public Tensor DecoderScores(T5ForConditionalGeneration model, Tensor encoderHidden, Tensor encoderMask)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(encoderHidden);
        ArgumentNullException.ThrowIfNull(encoderMask);
        using var scope = NewDisposeScope();
        long batch = encoderHidden.shape[0], words = _wordTokens.Length;
        Tensor decoderIds = DecoderInputIds(model.Config.DecoderStartTokenId, model.Config.PadTokenId, encoderHidden.device)
            .repeat(batch, 1);                                                               // row b·W + w decodes word w
        Tensor hidden = encoderHidden.repeat_interleave(words, 0);                           // row b·W + w reads input b
        Tensor mask = encoderMask.repeat_interleave(words, 0);
        Tensor logits = model.PredictTokens(model.Decode(decoderIds, hidden, mask));       // [batch·W, S, vocab]
        return SequenceScores(logits.view(batch, words, logits.shape[1], logits.shape[2])).MoveToOuterDisposeScope();
    }

    /// <summary>Mean of each word's pieces' log-probabilities, all read from <paramref name="logProbs"/> <c>[batch, vocab]</c>.</summary>
    private Tensor MeanOverPieces(Tensor logProbs)
    {
        int pieces = _wordTokens.Sum(w => w.Length);
        var averaging = new float[pieces * _wordTokens.Length];   // [pieces, words]: 1/k where the piece belongs to the word
        int p = 0;
        for (int w = 0; w < _wordTokens.Length; w++)
            foreach (int _ in _wordTokens[w])
                averaging[p++ * _wordTokens.Length + w] = 1f / _wordTokens[w].Length;
        Tensor gathered = logProbs.index_select(1, IdTensor(_wordTokens.SelectMany(w => w), logProbs.device));
        return gathered.matmul(tensor(averaging, [pieces, _wordTokens.Length], ScalarType.Float32, logProbs.device));
    }

    /// <summary>Word scores <c>[batch, words]</c> → label scores <c>[batch, labels]</c> by log-mean-exp over each label's words.</summary>
    private Tensor CombineWords(Tensor wordScores)
    {
        var columns = new Tensor[_labelWordIndices.Length];
        for (int label = 0; label < columns.Length; label++)
        {
            int[] indices = _labelWordIndices[label];
            if (indices.Length == 1)
            {
                columns[label] = wordScores.select(1, indices[0]);
                continue;
            }
            using var logCount = Math.Log(indices.Length).ToScalar();   // held until sub returns: see RootedScalars
            columns[label] = wordScores.index_select(1, IdTensor(indices, wordScores.device)).logsumexp(1).sub(logCount);
        }
        return stack(columns, 1);
    }

    private static Tensor IdTensor(IEnumerable<int> ids, Device device)
    {
        long[] values = ids.Select(i => (long)i).ToArray();
        return tensor(values, [values.Length], ScalarType.Int64, device);
    }

    private void CheckVocabulary(long vocabulary)
    {
        for (int w = 0; w < _wordTokens.Length; w++)
            if (_wordTokens[w].Max() >= vocabulary)
                throw new ArgumentException(
                    $"The label word '{WordText(w)}' has token id {_wordTokens[w].Max()}, outside the logits' vocabulary of {vocabulary}; " +
                    "the tokenizer does not match the backbone.");
    }

    private string WordText(int wordIndex)
    {
        int label = _wordLabel[wordIndex];
        return LabelWords.WordsAt(label)[Array.IndexOf(_labelWordIndices[label], wordIndex)];
    }

    private static int[] TokenizeWord(string word, string label, ModelTokenizer tokenizer)
    {
        // The leading space gives byte-level BPE the word-initial token; WordPiece and SentencePiece ignore it.
        int[] ids = tokenizer.EncodeText(" " + word).ToArray();
        if (ids.Length == 0)
            throw new ArgumentException($"The label word '{word}' of '{label}' encodes to no tokens.", "labelWords");
        SpecialTokens special = tokenizer.Special;
        if (special.UnknownId is int unknown && ids.Contains(unknown))
            throw new ArgumentException($"The label word '{word}' of '{label}' maps to the unknown token; the vocabulary cannot represent it.", "labelWords");
        int?[] specials = [special.PadId, special.BosId, special.EosId, special.MaskId];
        if (ids.Any(id => specials.Contains(id)))
            throw new ArgumentException($"The label word '{word}' of '{label}' encodes to a special token.", "labelWords");
        return ids;
    }

    private void CheckDistinguishable()
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int w = 0; w < _wordTokens.Length; w++)
        {
            string key = Handling == MultiTokenHandling.First ? _wordTokens[w][0].ToString() : string.Join(",", _wordTokens[w]);
            if (seen.TryGetValue(key, out int other) && _wordLabel[other] != _wordLabel[w])
                throw new ArgumentException(
                    $"The label words '{WordText(other)}' ('{Labels[_wordLabel[other]]}') and '{WordText(w)}' ('{Labels[_wordLabel[w]]}') " +
                    $"score the same tokens under {Handling} handling, so their labels could not be told apart.", "labelWords");
            seen.TryAdd(key, w);
        }
    }
}
