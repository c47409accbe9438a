using System.Text.Json;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Tokenization;
using Microsoft.ML.PromptTuning.Training;
using Microsoft.ML.PromptTuning.Transfer;
using Microsoft.ML.PromptTuning.Transfer.Indicators;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Transfer;

/// <summary>
/// The evaluator end to end on the roberta-tiny fixture: two catalog tasks, a few training steps, the report's files; and the
/// clear errors for prompts of other shapes, tasks without validation rows and targets without their own prompt.
/// </summary>
[TestClass]
[DoNotParallelize]
[TestCategory("EndToEnd")]
public sealed class TransferabilityEvaluatorTests
{
    private const int PromptLength = 4;
    private static string? _backbone;
    private static readonly TaskCatalog Catalog = new(SharedData.Data(""));

    [ClassInitialize]
    public static void CreateBackboneFolder(TestContext _)
    {
        _backbone = FixtureBackboneFolder.CreateRobertaTiny("transfer-backbone-");
    }

    [ClassCleanup]
    public static void DeleteBackboneFolder()
    {
        if (_backbone is not null)
            Directory.Delete(_backbone, true);
    }

    private static TransferabilityEvaluator Evaluator() => new MLContext(1).PromptTuning().TransferabilityEvaluator(new TransferabilityOptions
    {
        Backbone = _backbone!,
        PromptLength = PromptLength,
        MaxLength = 40,
        MaxTrainRows = 24,
        MaxValidationRows = 12,
        MaxEvaluationRows = 16,
        Trainer = new SoftPromptTrainerOptions { MaxSteps = 4, BatchSize = 4, LearningRate = 0.05, EvaluateEverySteps = 2 },
    });

    [TestMethod]
    public void Experiment_MainJobInTinyMode_OnTheShippedData_WritesTheTableCurvesReportAndSourcePrompt()
    {
        using var evaluator = Evaluator();
        var shipped = new TaskCatalog(Path.Combine(SharedData.RepositoryRoot, "data"));
        string folder = Directory.CreateTempSubdirectory("main-job-").FullName;
        try
        {
            using var report = evaluator.Experiment(shipped.Get("sst2"), shipped.Get("rotten_tomatoes"));
            var files = report.Save(folder);

            Assert.AreEqual(16, report.ZeroShot.Rows);
            Assert.AreEqual(16, report.SourceScore.Rows);
            Assert.AreEqual(2, report.Initialization.RandomCurve.Count);
            Assert.AreEqual(2, report.Initialization.TransferCurve.Count);
            Assert.AreEqual(2, report.Initialization.Crossings.Count);
            string table = report.ToMarkdown();
            StringAssert.Contains(table, $"| sst2 prompt on rotten_tomatoes, zero-shot | {(100 * report.ZeroShot.Accuracy).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} % |");
            StringAssert.Contains(table, "rotten_tomatoes prompt tuned from the sst2 prompt");
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, TransferExperimentReport.JsonFile)));
            Assert.AreEqual(report.ZeroShot.Accuracy, json.RootElement.GetProperty("zeroShot").GetProperty("Accuracy").GetDouble());
            var png = File.ReadAllBytes(Path.Combine(folder, TransferExperimentReport.CurvesFile));
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            using var saved = SoftPrompt.Load(files.Single(f => f.EndsWith("sst2-prompt.safetensors", StringComparison.Ordinal)));
            Assert.IsTrue(saved.Embeddings.allclose(report.SourcePrompt.Embeddings));
            Assert.IsTrue(File.Exists(Path.Combine(folder, "sst2-prompt-peft", "adapter_model.safetensors")));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void ZeroShotRows_ShardsMergedThroughJson_EqualTheUnshardedMatrix()
    {
        using var evaluator = Evaluator();
        var tasks = Catalog.Get(["sst2", "mnli"]);
        using var sst2 = evaluator.TrainPrompt(tasks[0]);
        using var mnli = evaluator.TrainPrompt(tasks[1]);
        var prompts = new Dictionary<string, SoftPrompt> { ["sst2"] = sst2.Prompt, ["mnli"] = mnli.Prompt };
        var whole = evaluator.ZeroShot(prompts, tasks);

        // Shard 1 holds the second source, shard 0 the first and the random row; the merge sees them in the other order.
        var shard1 = TransferMatrixRows.FromJson(evaluator.ZeroShotRows(prompts.Where(p => p.Key == "mnli"), tasks, includeRandom: false).ToJson());
        var shard0 = TransferMatrixRows.FromJson(evaluator.ZeroShotRows(prompts.Where(p => p.Key == "sst2"), tasks, includeRandom: true).ToJson());
        var merged = TransferMatrixRows.Merge([shard1, shard0]);

        CollectionAssert.AreEqual(whole.Sources.ToList(), merged.Sources.ToList());
        CollectionAssert.AreEqual(new[] { "sst2", "mnli", TransferMatrix.RandomPromptName }, merged.Sources.ToList());
        for (int s = 0; s < whole.Sources.Count; s++)
            CollectionAssert.AreEqual(whole.Scores[s].ToList(), merged.Scores[s].ToList());
        CollectionAssert.AreEqual(whole.OwnScores.ToList(), merged.OwnScores.ToList());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TransferMatrixRows.Merge([shard0, shard0])).Message, "more than one part");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TransferMatrixRows.Merge([shard0])).Message, "'mnli' has no row of its own prompt");
    }

    [TestMethod]
    public void Evaluate_TwoTasks_WritesConsistentCsvJsonMarkdownAndPngs()
    {
        using var evaluator = Evaluator();
        var tasks = Catalog.Get(["sst2", "mnli"]);
        using var sst2 = evaluator.TrainPrompt(tasks[0]);
        using var mnli = evaluator.TrainPrompt(tasks[1]);
        Assert.AreEqual(2, sst2.LearningCurve.Count);
        Assert.AreEqual(4, sst2.Steps);

        var report = evaluator.Evaluate([new("sst2", sst2.Prompt), new("mnli", mnli.Prompt)], tasks, [("sst2", "mnli")]);
        var matrix = report.ZeroShot!;
        CollectionAssert.AreEqual(new[] { "sst2", "mnli", TransferMatrix.RandomPromptName }, matrix.Sources.ToArray());
        Assert.AreEqual(100, matrix.Relative[0][0], 1e-9, "a prompt on its own task");
        Assert.AreEqual(100, matrix.Relative[1][1], 1e-9);
        Assert.AreEqual(matrix.Scores[0][0], evaluator.Score(tasks[0], sst2.Prompt), "the diagonal is the prompt's own score");
        Assert.IsTrue(matrix.Scores.SelectMany(r => r).All(s => s.Rows == 16));
        Assert.AreEqual(100 * matrix.Scores[2][1].Accuracy / matrix.OwnScores[1].Accuracy, matrix.Relative[2][1], 1e-9);

        // 6 embedding indicators, ON over all layers and per layer (2 layers).
        CollectionAssert.IsSubsetOf(new[] { "cosine-concatenated", "euclidean-tokenwise", "on", "on-layers-1-1", "on-layers-2-2" }, report.Indicators.Select(i => i.Name).ToArray());
        Assert.AreEqual(report.Indicators.Count, report.Correlations.Count);
        Assert.IsTrue(report.Correlations.All(c => c.Pairs == 2 && c.RecommendationTargets == 2));
        var run = report.Initializations.Single();
        Assert.AreEqual(("sst2", "mnli"), (run.Source, run.Target));
        Assert.AreEqual(2, run.RandomCurve.Count);
        Assert.AreEqual(2, run.TransferCurve.Count);
        Assert.AreEqual(2, run.Crossings.Count);
        Assert.AreEqual(run.RandomCurve.Max(p => p.ValidationMetric!.Value), run.Crossings[1].Threshold, 1e-12);

        string folder = Directory.CreateTempSubdirectory("transfer-report-").FullName;
        try
        {
            var written = report.Save(folder);
            Assert.AreEqual(7, written.Count);
            var csv = File.ReadAllLines(Path.Combine(folder, TransferabilityReport.MatrixCsvFile));
            Assert.AreEqual(1 + 3 * 2, csv.Length);
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, TransferabilityReport.MatrixJsonFile)));
            var relative = json.RootElement.GetProperty("relative");
            for (int s = 0; s < 3; s++)
                for (int t = 0; t < 2; t++)
                {
                    var cells = csv[1 + s * 2 + t].Split(',');
                    Assert.AreEqual($"{matrix.Sources[s]},{matrix.Targets[t]}", $"{cells[0]},{cells[1]}");
                    Assert.AreEqual(relative[s][t].GetDouble(), double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture), 1e-12);
                }
            var reloaded = TransferMatrix.FromJson(File.ReadAllText(Path.Combine(folder, TransferabilityReport.MatrixJsonFile)));
            CollectionAssert.AreEqual(matrix.Relative.SelectMany(r => r).ToArray(), reloaded.Relative.SelectMany(r => r).ToArray());
            CollectionAssert.AreEqual(matrix.Sources.ToArray(), reloaded.Sources.ToArray());
            string markdown = File.ReadAllText(Path.Combine(folder, TransferabilityReport.MatrixMarkdownFile));
            StringAssert.Contains(markdown, "| source \\ target | sst2 | mnli |");
            StringAssert.Contains(markdown, "| sst2 | 100.0 |");
            using var full = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, TransferabilityReport.ReportFile)));
            Assert.AreEqual(report.Correlations.Count, full.RootElement.GetProperty("correlations").GetArrayLength());
            foreach (string png in new[] { TransferabilityReport.HeatmapFile, "init-sst2-to-mnli.png" })
            {
                var bytes = File.ReadAllBytes(Path.Combine(folder, png));
                CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes.Take(4).ToArray(), png);
                Assert.IsGreaterThan(5000, bytes.Length, $"{png} has content");
            }
            Assert.IsFalse(Directory.EnumerateFiles(folder, "*.tmp", SearchOption.AllDirectories).Any(), "no temporary files left");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void Evaluate_EstimatorTrainedTransformer_UsesItsPrompt()
    {
        var task = Catalog.Get("sst2");
        var context = new MLContext(1);
        using var model = context.PromptTuning().SoftPrompt(new SoftPromptOptions
        {
            Backbone = _backbone!, PromptLength = PromptLength, TextColumnNames = [PromptTask.TextAColumn], LabelColumnName = PromptTask.LabelColumn,
            LabelWords = task.LabelWords, MaxLength = 40,
            Trainer = new SoftPromptTrainerOptions { MaxSteps = 2, BatchSize = 4, LearningRate = 0.05 },
        }).Fit(task.Load(TaskSplit.Validation));
        using var evaluator = Evaluator();
        var report = evaluator.Evaluate(new Dictionary<string, SoftPromptTransformer> { ["sst2"] = model }, [task]);
        Assert.AreEqual(evaluator.Score(task, model.Prompt), report.ZeroShot!.Scores[0][0]);
        Assert.AreEqual(100, report.ZeroShot.Relative[0][0], 1e-9);
    }

    [TestMethod]
    public void ZeroShot_PromptsOfAnotherLengthOrWidth_NameThePrompt()
    {
        using var evaluator = Evaluator();
        var task = Catalog.Get("sst2");
        using var good = evaluator.RandomPrompt();
        var info = new BackboneInfo("other", "roberta", 32);
        using var longer = new SoftPrompt(zeros(PromptLength + 1, 32), info);
        using var narrow = new SoftPrompt(zeros(PromptLength, 16), info with { HiddenSize = 16 });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            evaluator.ZeroShot([new("sst2", good), new("long", longer)], [task])).Message, "Prompt 'long' has 5 soft tokens but the evaluation uses 4");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            evaluator.ZeroShot([new("sst2", good), new("narrow", narrow)], [task])).Message, "Prompt 'narrow' is 16 wide but the roberta backbone's hidden size is 32");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            evaluator.ZeroShot([new("mnli", good)], [task])).Message, "Target task 'sst2' has no prompt of its own");
    }

    [TestMethod]
    public void TrainPrompt_TaskWithoutValidationSplit_SaysSo()
    {
        using var evaluator = Evaluator();
        var task = new PromptTask("dev-only", TaskCategory.Sentiment, LabelWords.SentimentBinary(),
            new Dictionary<TaskSplit, TaskDataSource> { [TaskSplit.Train] = TaskDataSource.File(Path.Combine(SharedData.Data("sst2"), "dev.tsv"), "sentence", null, "label") });
        var error = Assert.ThrowsExactly<ArgumentException>(() => evaluator.TrainPrompt(task));
        StringAssert.Contains(error.Message, "Task 'dev-only' has no validation split");
    }

    [TestMethod]
    public void ActivatedNeurons_AreTheBinarisedFfnActivationsAtTheMask()
    {
        using var model = (MaskedLanguageModel)LanguageModelLoader.Load(_backbone!).Freeze();
        var tokenizer = ModelTokenizer.FromDirectory(_backbone!);
        using var generator = new Generator(11);
        using var prompt = randn([PromptLength, model.HiddenSize], generator: generator) * 0.5;
        using var neurons = ModelStimulation.ActivatedNeurons(model, tokenizer, prompt);
        CollectionAssert.AreEqual(new long[] { model.FfnLayerCount, model.FfnSize }, neurons.shape);

        // Independently: [P] <s> <mask> </s> as inputs_embeds, FFN activations recorded at the mask (position N + 1).
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var special = tokenizer.Special;
        var ids = tensor(new long[] { special.BosId!.Value, special.MaskId!.Value, special.EosId }, [1, 3]);
        var embeds = cat([prompt.unsqueeze(0), model.EmbedTokens(ids)], 1);
        var positions = tensor(new long[] { PromptLength + 1 }, [1, 1]);
        using var recorder = new FfnActivationRecorder(positions);
        model.Encode(embeds, ones(1, PromptLength + 3), positions, recorder);
        var activations = recorder.Stack()[0, .., 0, ..];
        Assert.IsTrue(activations.gt(0).to(ScalarType.Float32).eq(neurons).all().item<bool>(), "binarised > 0");
        Assert.IsTrue(neurons.eq(0).logical_or(neurons.eq(1)).all().item<bool>(), "only 0 and 1");
        Assert.IsTrue(neurons.sum().item<float>() > 0 && neurons.sum().item<float>() < neurons.numel(), "some, not all, neurons fire");
    }
}
