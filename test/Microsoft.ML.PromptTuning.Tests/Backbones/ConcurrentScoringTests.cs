using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Pretraining;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Backbones;

/// <summary>
/// Scoring from several threads while garbage collections run: TorchSharp frees temporary scalars from their finalizers,
/// so any number handed to libtorch without being kept alive can be freed mid-call (see <see cref="ScalarSafeOps"/>).
/// Before the hot paths kept their scalars, this failed a few times per thousand batches.
/// </summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class ConcurrentScoringTests
{
    [TestMethod]
    [DataRow("roberta")]
    [DataRow("t5")]
    public void LabelScores_ManyThreadsUnderGarbageCollection_MatchSingleThreaded(string architecture)
    {
        using var backbone = architecture == "roberta" ? FixtureModels.Load("roberta-tiny", "model.safetensors") : TinyT5();
        var tokenizer = ModelTokenizer.FromDirectory(SharedData.Tokenizer(architecture == "roberta" ? "roberta-base" : "t5"));
        var template = architecture == "roberta" ? PromptTemplate.MaskedLmDefault(4) : PromptTemplate.Seq2SeqDefault(4);
        var classifier = new PromptClassifier(backbone, new PromptEncoder(template, tokenizer, 64), new Verbalizer(LabelWords.SentimentBinary(), tokenizer));
        using var prompt = randn(new long[] { 4, backbone.HiddenSize }, generator: new Generator(7));
        var rows = new[] { "a fine movie", "terrible acting and a dull plot", "great" }.Select(t => classifier.Encoder.Encode(t)).ToList();
        float[] expected = Scores(classifier, rows, prompt);

        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                Thread.Sleep(1);
            }
        });
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (int i = 0; i < 150; i++)
            {
                try
                {
                    if (!Scores(classifier, rows, prompt).SequenceEqual(expected))
                        failures.Add("different scores");
                }
                catch (Exception e)
                {
                    failures.Add(e.Message.Split('\n')[0]);
                }
            }
        });
        stop.Cancel();
        collector.Wait();

        Assert.IsEmpty(failures, string.Join("; ", failures.Distinct()));
    }

    /// <summary>A one-layer T5 over the real T5 vocabulary (the T5 fixtures have a 1,024-token vocabulary of their own).</summary>
    private static LanguageModel TinyT5()
    {
        var model = PretrainingPipeline.CreateModel(new T5Config
        {
            NumLayers = 1, NumDecoderLayers = 1, DModel = 16, DKv = 4, NumHeads = 4, DFf = 32, FeedForwardProj = "gated-gelu", TieWordEmbeddings = false,
        }, ModelTokenizer.FromDirectory(SharedData.Tokenizer("t5")));
        WeightInitializer.Initialize(model, seed: 3);
        return model.Freeze();
    }

    private static float[] Scores(PromptClassifier classifier, IReadOnlyList<EncodedPrompt> rows, Tensor prompt)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var batch = classifier.Collate(rows);
        return classifier.LabelScores(batch, prompt).data<float>().ToArray();
    }
}
