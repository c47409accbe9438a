using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.Backbones;
using Microsoft.ML.PromptTuning.Tests.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Prompts;

[TestClass]
public sealed class VerbalizerTests
{
    private const int Vocabulary = 50265;
    // roberta-base ids of the word-initial forms.
    private const int Negative = 2430, Positive = 1313, Good = 205, Great = 372, Bad = 1099;

    [TestMethod]
    public void Constructor_Roberta_TokenizesWordInitialForms()
    {
        var verbalizer = new Verbalizer(LabelWords.SentimentBinary(), SharedTokenizers.Roberta);

        CollectionAssert.AreEqual(new[] { Negative }, verbalizer.WordTokenIds[0]);
        CollectionAssert.AreEqual(new[] { Positive }, verbalizer.WordTokenIds[1]);
        CollectionAssert.AreEqual(new[] { "0", "1" }, verbalizer.Labels.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1 }, verbalizer.WordLabelIndices.ToArray());
    }

    [TestMethod]
    public void Scores_SmallLogits_AreLogSoftmaxOverVocabularyAtLabelWords()
    {
        var verbalizer = new Verbalizer(LabelWords.SentimentBinary(), SharedTokenizers.Roberta);
        using Tensor logits = zeros(2, Vocabulary);
        logits[0, Positive] = tensor(2f);
        logits[0, Negative] = tensor(1f);
        logits[1, Negative] = tensor(3f);

        using Tensor scores = verbalizer.Scores(logits);

        double logZ0 = Math.Log(Vocabulary - 2 + Math.Exp(2) + Math.Exp(1));
        double logZ1 = Math.Log(Vocabulary - 1 + Math.Exp(3));
        AssertScores(new[,] { { 1 - logZ0, 2 - logZ0 }, { 3 - logZ1, 0 - logZ1 } }, scores);
    }

    [TestMethod]
    public void Scores_SeveralWordsPerLabel_LogOfMeanWordProbability()
    {
        LabelWords words = LabelWords.Of(("neg", ["bad"]), ("pos", ["good", "great"]));
        var verbalizer = new Verbalizer(words, SharedTokenizers.Roberta);
        using Tensor logits = zeros(1, Vocabulary);
        logits[0, Good] = tensor(2f);
        logits[0, Great] = tensor(4f);
        logits[0, Bad] = tensor(1f);

        using Tensor scores = verbalizer.Scores(logits);

        double logZ = Math.Log(Vocabulary - 3 + Math.Exp(2) + Math.Exp(4) + Math.Exp(1));
        double positive = Math.Log((Math.Exp(2 - logZ) + Math.Exp(4 - logZ)) / 2);
        AssertScores(new[,] { { 1 - logZ, positive } }, scores);
    }

    [TestMethod]
    [DataRow(MultiTokenHandling.First)]
    [DataRow(MultiTokenHandling.Mean)]
    public void Scores_MultiTokenWord_FirstTokenOrMeanOfTokenLogProbabilities(MultiTokenHandling handling)
    {
        int[] pieces = SharedTokenizers.Roberta.EncodeText(" disheartening").ToArray();
        Assert.IsTrue(pieces.Length >= 2, "the test needs a word of several tokens");
        var verbalizer = new Verbalizer(LabelWords.Of(("a", ["disheartening"]), ("b", ["good"])), SharedTokenizers.Roberta, handling);
        using Tensor logits = zeros(1, Vocabulary);
        for (int i = 0; i < pieces.Length; i++)
            logits[0, pieces[i]] = tensor((float)(i + 1));

        using Tensor scores = verbalizer.Scores(logits);

        double logZ = Math.Log(Vocabulary - pieces.Length + Enumerable.Range(1, pieces.Length).Sum(k => Math.Exp(k)));
        double expected = handling == MultiTokenHandling.First ? 1 - logZ : Enumerable.Range(1, pieces.Length).Average(k => k - logZ);
        AssertScores(new[,] { { expected, -logZ } }, scores);
        CollectionAssert.AreEqual(pieces, verbalizer.WordTokenIds[0], "WordTokenIds keeps every token whatever the handling");
    }

    [TestMethod]
    public void Scores_GradientFlowsToLogits()
    {
        var verbalizer = new Verbalizer(LabelWords.SentimentBinary(), SharedTokenizers.Roberta);
        using Tensor logits = zeros(1, Vocabulary).requires_grad_(true);

        verbalizer.Scores(logits)[0, 1].backward();

        Assert.IsTrue(logits.grad![0, Positive].item<float>() > 0.99f);
        Assert.IsTrue(logits.grad![0, 7].item<float>() < 0);
    }

    [TestMethod]
    public void SequenceScores_TeacherForcedLogits_MeanOverEachWordsSteps()
    {
        var verbalizer = new Verbalizer(LabelWords.Of(("a", ["disheartening"]), ("b", ["good"])), SharedTokenizers.Roberta, MultiTokenHandling.Mean);
        int[] pieces = verbalizer.WordTokenIds[0];
        int steps = verbalizer.MaxWordTokens;
        Assert.AreEqual(pieces.Length, steps);
        using Tensor logits = zeros(1, 2, steps, Vocabulary);
        for (int j = 0; j < pieces.Length; j++)
            logits[0, 0, j, pieces[j]] = tensor(5f);
        logits[0, 1, 0, Good] = tensor(2f);
        logits[0, 1, 1, Good] = tensor(9f);   // past the one-token word's end: ignored

        using Tensor scores = verbalizer.SequenceScores(logits);

        double stepLogZ = Math.Log(Vocabulary - 1 + Math.Exp(5));
        double goodLogZ = Math.Log(Vocabulary - 1 + Math.Exp(2));
        AssertScores(new[,] { { 5 - stepLogZ, 2 - goodLogZ } }, scores);
    }

    [TestMethod]
    public void DecoderInputIds_MultiTokenWords_StartTokenThenShiftedTargets()
    {
        var verbalizer = new Verbalizer(LabelWords.Of(("a", ["disheartening"]), ("b", ["good"])), SharedTokenizers.Roberta, MultiTokenHandling.Mean);
        int[] pieces = verbalizer.WordTokenIds[0];

        using Tensor ids = verbalizer.DecoderInputIds(decoderStartTokenId: 7, padId: 1);

        CollectionAssert.AreEqual(new long[] { 2, pieces.Length }, ids.shape);
        CollectionAssert.AreEqual(new long[] { 7 }.Concat(pieces.Take(pieces.Length - 1).Select(p => (long)p)).ToArray(), ids[0].data<long>().ToArray());
        CollectionAssert.AreEqual(new long[] { 7 }.Concat(Enumerable.Repeat(1L, pieces.Length - 1)).ToArray(), ids[1].data<long>().ToArray());
    }

    [TestMethod]
    public void DecoderScores_T5First_EqualsScoresOfFirstStepLogits()
    {
        using var scope = NewDisposeScope();
        using var model = (T5ForConditionalGeneration)FixtureModels.Load("t5-tiny-random", "model.safetensors");
        // "good" (207) and "it's" (34, 31, 7) lie inside the fixture's 1,024-token vocabulary.
        var verbalizer = new Verbalizer(LabelWords.Of(("a", ["good"]), ("b", ["it's"])), SharedTokenizers.T5);
        Tensor embeds = randn(2, 5, model.HiddenSize);
        Tensor mask = ones(2, 5);
        mask[1, 4] = tensor(0f);
        using var noGrad = no_grad();

        Tensor viaDecoder = verbalizer.DecoderScores(model, model.Encode(embeds, mask), mask);
        Tensor viaFirstStep = verbalizer.Scores(model.FirstStepLogits(embeds, mask));

        FixtureModels.AssertClose(viaFirstStep, viaDecoder, "First scores", 1e-5);
    }

    [TestMethod]
    public void DecoderScores_T5Mean_MatchesTeacherForcedForwardPerWord()
    {
        using var scope = NewDisposeScope();
        using var model = (T5ForConditionalGeneration)FixtureModels.Load("t5-tiny-random", "model.safetensors");
        var verbalizer = new Verbalizer(LabelWords.Of(("a", ["good"]), ("b", ["it's"])), SharedTokenizers.T5, MultiTokenHandling.Mean);
        CollectionAssert.AreEqual(new[] { 34, 31, 7 }, verbalizer.WordTokenIds[1]);
        Tensor embeds = randn(2, 5, model.HiddenSize);
        Tensor mask = ones(2, 5);
        using var noGrad = no_grad();

        Tensor scores = verbalizer.DecoderScores(model, model.Encode(embeds, mask), mask);

        for (int w = 0; w < 2; w++)
        {
            int[] target = verbalizer.WordTokenIds[w];
            Tensor decoderIds = tensor(new long[] { model.Config.DecoderStartTokenId }.Concat(target.Take(target.Length - 1).Select(t => (long)t)).ToArray()).unsqueeze(0).expand(2, -1);
            Tensor logProbs = model.forward(embeds, mask, decoderIds).log_softmax(-1);
            for (int b = 0; b < 2; b++)
            {
                double expected = Enumerable.Range(0, target.Length).Average(j => logProbs[b, j, target[j]].item<float>());
                Assert.AreEqual(expected, scores[b, w].item<float>(), 1e-5, $"row {b}, word {w}");
            }
        }
    }

    [TestMethod]
    public void LabelIndices_KnownAndUnknownLabels_MapOrThrowNamingLabel()
    {
        var verbalizer = new Verbalizer(LabelWords.NliThreeWay(), SharedTokenizers.Roberta);

        CollectionAssert.AreEqual(new long[] { 2, 0, 1 }, verbalizer.LabelIndices(["contradiction", "entailment", "neutral"]).data<long>().ToArray());
        var error = Assert.ThrowsExactly<ArgumentException>(() => verbalizer.LabelIndices(["entailment", "contradicton"]));
        StringAssert.Contains(error.Message, "'contradicton'");
        StringAssert.Contains(error.Message, "'neutral'");
    }

    [TestMethod]
    public void Constructor_WordMappingToUnknown_Throws()
    {
        // T5's SentencePiece vocabulary has no "ï" (tokenizer_expected.json encodes it as <unk>).
        var error = Assert.ThrowsExactly<ArgumentException>(() => new Verbalizer(LabelWords.Of(("a", ["good"]), ("b", ["naïve"])), SharedTokenizers.T5));

        StringAssert.Contains(error.Message, "'naïve'");
        StringAssert.Contains(error.Message, "unknown token");
    }

    [TestMethod]
    public void Constructor_WordEncodingToNothing_Throws()
    {
        // BERT's basic tokenizer drops symbols such as the snowman.
        var error = Assert.ThrowsExactly<ArgumentException>(() => new Verbalizer(LabelWords.Of(("a", ["good"]), ("b", ["\u2603"])), SharedTokenizers.Bert));

        StringAssert.Contains(error.Message, "encodes to no tokens");
    }

    [TestMethod]
    public void Constructor_WordThatIsASpecialToken_Throws()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new Verbalizer(LabelWords.Of(("a", ["good"]), ("b", ["<mask>"])), SharedTokenizers.Roberta));

        StringAssert.Contains(error.Message, "special token");
    }

    [TestMethod]
    public void Constructor_WordsOfTwoLabelsWithSameTokens_Throws()
    {
        // bert-base-uncased lower-cases, so "Great" and "great" are one token.
        var error = Assert.ThrowsExactly<ArgumentException>(() => new Verbalizer(LabelWords.Of(("a", ["Great"]), ("b", ["great"])), SharedTokenizers.Bert));

        StringAssert.Contains(error.Message, "could not be told apart");
    }

    [TestMethod]
    public void Scores_WrongRankOrVocabularyTooSmall_Throws()
    {
        var verbalizer = new Verbalizer(LabelWords.SentimentBinary(), SharedTokenizers.T5);
        using Tensor threeD = zeros(2, 1, 32100);
        using Tensor tiny = zeros(2, 1024);

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => verbalizer.Scores(threeD)).Message, "[batch, vocab]");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => verbalizer.Scores(tiny)).Message, "outside the logits' vocabulary of 1024");
    }

    private static void AssertScores(double[,] expected, Tensor actual)
    {
        CollectionAssert.AreEqual(new long[] { expected.GetLength(0), expected.GetLength(1) }, actual.shape);
        for (int b = 0; b < expected.GetLength(0); b++)
            for (int l = 0; l < expected.GetLength(1); l++)
                Assert.AreEqual(expected[b, l], actual[b, l].item<float>(), 1e-4, $"score [{b}, {l}]");
    }
}
