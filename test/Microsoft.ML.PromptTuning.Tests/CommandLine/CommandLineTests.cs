using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.PromptTuning.Prompts;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.CommandLine;

/// <summary>
/// The <c>prompt-transfer</c> tool as users run it (a separate process): help, exit codes 0 / 1 (failure) / 2 (bad usage),
/// one-line errors without stack traces for bad paths, unknown tasks and malformed data, and the PEFT verbs' round trip.
/// </summary>
[TestClass]
public sealed class CommandLineTests
{
    private static readonly string Tool = Path.Combine(SharedData.RepositoryRoot, "src", "Samples", "bin", "Release", "net10.0", "prompt-transfer.dll");

    [TestMethod]
    public void Help_ListsEveryVerb()
    {
        var (code, output, _) = Run("--help");

        Assert.AreEqual(0, code);
        foreach (string verb in new[] { "reproduce", "train", "evaluate", "transfer-matrix", "transfer-init", "project", "indicators", "sweep", "merge", "pretrain", "export-peft", "import-peft", "check-backbones" })
            StringAssert.Contains(output, verb);
    }

    [TestMethod]
    public void BadUsage_ExitsTwoWithOneLineErrors()
    {
        var (unknownVerb, _, error1) = Run("trian");
        var (missingOption, _, error2) = Run("train", "--backbone", "x");

        Assert.AreEqual(2, unknownVerb);
        Assert.AreEqual(2, missingOption);
        StringAssert.Contains(error2, "--train");
        Assert.IsFalse((error1 + error2).Contains("   at ", StringComparison.Ordinal), "no stack trace");
    }

    [TestMethod]
    public void Failures_ExitOneWithTheCauseNamed()
    {
        string folder = Directory.CreateTempSubdirectory("cli-").FullName;
        try
        {
            string malformed = Path.Combine(folder, "bad.tsv");
            File.WriteAllText(malformed, "sentence\tscore\nfine\t1\n");
            var cases = new (string[] Args, string Expected)[]
            {
                (["train", "--backbone", Path.Combine(folder, "no-model"), "--train", Path.Combine(folder, "missing.tsv"), "--text-columns", "sentence", "--output", folder], "missing.tsv"),
                (["train", "--backbone", Path.Combine(folder, "no-model"), "--train", malformed, "--text-columns", "sentence", "--output", folder], "label"),
                (["transfer-matrix", "--backbone", "x", "--data", SharedData.Data(""), "--tasks", "sst2", "nosuchtask", "--output", folder], "nosuchtask"),
                (["evaluate", "--model", Path.Combine(folder, "none.zip"), "--data", malformed, "--text-columns", "sentence"], "none.zip"),
                (["merge", folder, "--output", Path.Combine(folder, "merged")], "sweep.json"),
                (["transfer-matrix", "--backbone", "x", "--shard", "4/4", "--output", folder], "i/n"),
            };
            foreach (var (args, expected) in cases)
            {
                var (code, _, error) = Run(args);
                Assert.AreEqual(1, code, $"{string.Join(' ', args)}: {error}");
                StringAssert.Contains(error, expected, string.Join(' ', args));
                Assert.AreEqual(1, error.Trim().Split('\n').Length, $"one line: {error}");
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void ExportThenImportPeft_RoundTripsThePrompt()
    {
        string folder = Directory.CreateTempSubdirectory("cli-peft-").FullName;
        try
        {
            string original = Path.Combine(folder, "prompt.safetensors");
            using (var prompt = new SoftPrompt(randn(5, 32), new BackboneInfo("fixtures/roberta-tiny", "roberta", 32)))
                prompt.Save(original);

            Assert.AreEqual(0, Run("export-peft", "--prompt", original, "--output", Path.Combine(folder, "peft")).Code);
            Assert.AreEqual(0, Run("import-peft", "--peft", Path.Combine(folder, "peft"), "--output", Path.Combine(folder, "back.safetensors")).Code);

            using var before = SoftPrompt.Load(original);
            using var after = SoftPrompt.Load(Path.Combine(folder, "back.safetensors"));
            Assert.IsTrue(before.Embeddings.allclose(after.Embeddings, rtol: 0, atol: 0));
            Assert.IsTrue(File.Exists(Path.Combine(folder, "peft", "adapter_config.json")));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void TrainTasks_ShardedRuns_WriteTheUnshardedPrompts()
    {
        string backbone = FixtureBackboneFolder.CreateRobertaTiny("cli-backbone-");
        string folder = Directory.CreateTempSubdirectory("cli-shards-").FullName;
        try
        {
            string[] Args(string output, params string[] extra) =>
                ["train", "--backbone", backbone, "--tasks", "sst2", "rotten_tomatoes", "--data", Path.Combine(SharedData.RepositoryRoot, "data"),
                 "--steps", "3", "--eval-every", "3", "--prompt-length", "4", "--max-train-rows", "48", "--validation-rows", "16", "--threads", "1", "--output", output, .. extra];
            string whole = Path.Combine(folder, "whole"), sharded = Path.Combine(folder, "sharded");

            Assert.AreEqual(0, Run(Args(whole)).Code);
            var first = Run(Args(sharded, "--shard", "0/2"));
            var second = Run(Args(sharded, "--shard", "1/2"));

            Assert.AreEqual(0, first.Code, first.Error);
            Assert.AreEqual(0, second.Code, second.Error);
            StringAssert.Contains(first.Output, "shard 0/2: sst2");
            StringAssert.Contains(second.Output, "shard 1/2: rotten_tomatoes");
            foreach (string task in new[] { "sst2", "rotten_tomatoes" })
            {
                using var expected = SoftPrompt.Load(Path.Combine(whole, task + ".safetensors"));
                using var actual = SoftPrompt.Load(Path.Combine(sharded, task + ".safetensors"));
                Assert.IsTrue(expected.Embeddings.allclose(actual.Embeddings, rtol: 0, atol: 0), $"{task}: the sharded prompt equals the unsharded one");
            }
            Assert.AreEqual(2, Run("train", "--backbone", backbone, "--train", "x.tsv", "--text-columns", "s", "--shard", "0/2", "--output", folder).Code, "--shard needs --tasks");
            var fileOption = Run("train", "--backbone", backbone, "--tasks", "sst2", "--label-words", "0=bad,1=good", "--output", folder);
            Assert.AreEqual(2, fileOption.Code, "catalog tasks bring their own label words");
            StringAssert.Contains(fileOption.Error, "--label-words");
        }
        finally
        {
            Directory.Delete(folder, true);
            Directory.Delete(backbone, true);
        }
    }

    [TestMethod]
    public void TrainWithProbe_ReportsALinearProbe_AndEvaluateOfTheZipReproducesTheTestAccuracy()
    {
        string backbone = FixtureBackboneFolder.CreateRobertaTiny("cli-probe-backbone-");
        string folder = Directory.CreateTempSubdirectory("cli-probe-").FullName;
        try
        {
            // Twelve distinct texts with labels unrelated to their words: no label word fits them, but twelve points in the
            // 32-dimensional representation are linearly separable, so a probe that reads the representation fits them all.
            string data = Path.Combine(folder, "data.tsv");
            string[] words = ["river", "stone", "cloud", "paper", "green", "table", "music", "chair", "light", "ocean", "bread", "glass"];
            File.WriteAllLines(data, ["sentence\tlabel", .. words.Select((word, i) => $"the {word} is here\t{(i * 7 % 12 < 6 ? 0 : 1)}")]);

            var (code, output, error) = Run("train", "--backbone", backbone, "--train", data, "--test", data, "--text-columns", "sentence", "--probe",
                "--steps", "2", "--eval-every", "2", "--prompt-length", "4", "--validation-rows", "0", "--threads", "1", "--output", Path.Combine(folder, "out"));

            Assert.AreEqual(0, code, error);
            StringAssert.Contains(output, "linear probe of the mask representation");
            using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "out", "metrics.json")));
            var probe = metrics.RootElement.GetProperty("probe");
            Assert.AreEqual(1.0, probe.GetProperty("trainAccuracy").GetDouble(), "the probe separates the training rows by their representations");
            Assert.AreEqual(1.0, probe.GetProperty("testAccuracy").GetDouble(), "the same rows as test data score the same");

            // The saved zip, scored by `evaluate` in another process, reproduces the test accuracy `train` reported.
            string evaluation = Path.Combine(folder, "evaluation.json");
            var evaluated = Run("evaluate", "--model", Path.Combine(folder, "out", "model.zip"), "--data", data, "--text-columns", "sentence", "--threads", "1", "--output", evaluation);
            Assert.AreEqual(0, evaluated.Code, evaluated.Error);
            using var scores = JsonDocument.Parse(File.ReadAllText(evaluation));
            Assert.AreEqual(12, scores.RootElement.GetProperty("rows").GetInt32());
            Assert.AreEqual(metrics.RootElement.GetProperty("testAccuracy").GetDouble(), scores.RootElement.GetProperty("accuracy").GetDouble(), 1e-12);
            Assert.AreEqual(2, Run("train", "--backbone", backbone, "--train", data, "--text-columns", "sentence", "--probe", "--output", folder).Code, "--probe needs --test");
        }
        finally
        {
            Directory.Delete(folder, true);
            Directory.Delete(backbone, true);
        }
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        Assert.IsTrue(File.Exists(Tool), $"the tool is built with the tests: {Tool}");
        var start = new ProcessStartInfo("dotnet", [Tool, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("PROMPT_TRANSFER_DEBUG");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
