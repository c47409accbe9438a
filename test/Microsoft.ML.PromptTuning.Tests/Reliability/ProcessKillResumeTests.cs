using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Tests.Reliability;

/// <summary>
/// A training run in a child process, killed (<see cref="System.Diagnostics.Process.Kill(bool)"/>, i.e. SIGKILL: no cleanup
/// runs) after it checkpointed, then started again with the same arguments: it resumes from the checkpoint and ends with
/// exactly the prompt of an uninterrupted run with the same seed. roberta-tiny, 12 steps, a checkpoint every 2.
/// </summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class ProcessKillResumeTests
{
    [TestMethod]
    public void Train_KilledAfterACheckpointThenRestarted_EndsWithTheUninterruptedPrompt()
    {
        string backbone = FixtureBackboneFolder.CreateRobertaTiny("kill-backbone-");
        string folder = Directory.CreateTempSubdirectory("kill-run-").FullName;
        try
        {
            string checkpoint = Path.Combine(folder, "checkpoint");
            string reference = Path.Combine(folder, "uninterrupted.safetensors");
            string resumed = Path.Combine(folder, "resumed.safetensors");
            var (referenceExit, _, referenceError) = HostProcess.Run(["train", backbone, "-", reference]);
            Assert.AreEqual(0, referenceExit, referenceError);

            // The child stops after step 5 (checkpoints written at steps 2 and 4) and waits; it is killed there.
            using (var child = HostProcess.Start(["train", backbone, checkpoint, resumed, "5"]))
            {
                var error = child.StandardError.ReadToEndAsync();
                string? line;
                while ((line = child.StandardOutput.ReadLine()) is not null && line != "step 5")
                {
                }
                Assert.AreEqual("step 5", line, $"the child ended before step 5: {error.Result}");
                child.Kill(entireProcessTree: true);
                Assert.IsTrue(child.WaitForExit(30_000));
            }
            Assert.IsFalse(File.Exists(resumed), "the killed run wrote no result");
            StringAssert.Contains(File.ReadAllText(Path.Combine(checkpoint, "trainer_state.json")), "\"Step\":4");

            var (exitCode, output, stderr) = HostProcess.Run(["train", backbone, checkpoint, resumed]);

            Assert.AreEqual(0, exitCode, stderr);
            Assert.AreEqual("step 5", output.Split('\n')[0].Trim(), "the restarted run continued after the step-4 checkpoint");
            using var expected = SoftPrompt.Load(reference);
            using var actual = SoftPrompt.Load(resumed);
            Assert.IsTrue(expected.Embeddings.allclose(actual.Embeddings, rtol: 0, atol: 0),
                $"resumed prompt differs by up to {(expected.Embeddings - actual.Embeddings).abs().max().item<float>()}");
        }
        finally
        {
            Directory.Delete(folder, true);
            Directory.Delete(backbone, true);
        }
    }
}
