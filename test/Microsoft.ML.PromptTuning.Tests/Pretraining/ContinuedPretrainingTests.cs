using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Pretraining;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>Continued pre-training (<see cref="PretrainingJob.InitializeFrom"/>): the run starts from a model folder's weights.</summary>
[TestClass]
public sealed class ContinuedPretrainingTests
{
    [TestMethod]
    public void Run_InitializeFromFolder_StartsFromItsWeightsAndSaysSo()
    {
        string start = FixtureBackboneFolder.CreateRobertaTiny("continue-start-");
        using var folder = new TemporaryFolder();
        try
        {
            // A learning rate of 1e-9 leaves the weights where they started: the output must be the start model, not a fresh one.
            var report = PretrainingPipeline.Run(Job(folder, start, tokenizerDirectory: start));

            Assert.AreEqual(Path.GetFileName(start), report.ContinuedFrom);
            StringAssert.Contains(report.ToModelCard("cmd"), $"starting from {Path.GetFileName(start)}");
            using var expected = LanguageModelLoader.Load(start);
            using var actual = LanguageModelLoader.Load(folder.Combine("out"));
            var trained = actual.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in expected.named_parameters())
                Assert.IsTrue(parameter.allclose(trained[name], rtol: 2e-3, atol: 2e-4), $"{name} kept its start value (float16 storage aside)");
        }
        finally
        {
            Directory.Delete(start, true);
        }
    }

    [TestMethod]
    public void Run_StartModelWithAnotherVocabulary_NamesBothSizes()
    {
        string start = FixtureBackboneFolder.CreateRobertaTiny("continue-vocab-");
        using var folder = new TemporaryFolder();
        try
        {
            var error = Assert.ThrowsExactly<ArgumentException>(() =>
                PretrainingPipeline.Run(Job(folder, SharedData.Fixture("bert-tiny-random"), tokenizerDirectory: start)));

            StringAssert.Contains(error.Message, "30522");
            StringAssert.Contains(error.Message, "50265");
        }
        finally
        {
            Directory.Delete(start, true);
        }
    }

    private static PretrainingJob Job(TemporaryFolder folder, string start, string tokenizerDirectory)
    {
        var paragraphs = File.ReadLines(Path.Combine(SharedData.Directory, "corpus", "wikipedia", "enwiki_00.txt")).Where(l => l.Length > 200).Take(80);
        string text = folder.Write("corpus.txt", string.Join("\n\n", paragraphs) + "\n");
        return new PretrainingJob
        {
            Architecture = new BertConfig(), // ignored: the start folder's configuration is used
            InitializeFrom = start,
            TokenizerDirectory = tokenizerDirectory,
            Sources = [new CorpusSource(text, "wiki")],
            CorpusDirectory = folder.Combine("corpus"),
            OutputDirectory = folder.Combine("out"),
            Options = new PretrainingOptions { Steps = 1, BatchSize = 2, SequenceLength = 32, LearningRate = 1e-9, WarmupSteps = 0, EvaluationWindows = 2 },
        };
    }
}
