using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Tests.Checkpoints;
using Microsoft.ML.PromptTuning.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Training;

/// <summary>Checkpoints of the shared training loop when saving fails mid-run or the saved state was damaged from outside.</summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class TrainingLoopCheckpointTests
{
    private static readonly SoftPromptTrainerOptions Options = new() { LearningRate = 0.1, MaxSteps = 6, EvaluateEverySteps = 2, BatchSize = 1, CheckpointEverySteps = 2 };

    [TestMethod]
    public void Run_CheckpointSaveFailsMidRun_ThrowsAndARerunResumesToTheUninterruptedResult()
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("checkpoint");
        using var expected = Train(Options, progress: null);
        // A file where the checkpoint's temporary folder goes makes the save at step 4 fail (a stand-in for a full disk).
        var blockAfterStep3 = new ActionProgress<SoftPromptTrainingProgress>(p =>
        {
            if (p.Step == 3)
                File.WriteAllText(checkpoint + ".tmp", "in the way");
        });

        var error = Assert.ThrowsExactly<IOException>(() => Train(Options with { CheckpointDirectory = checkpoint }, blockAfterStep3).Dispose());

        StringAssert.StartsWith(error.Message, $"Could not save the checkpoint {checkpoint} (");
        StringAssert.EndsWith(error.Message, "the previous checkpoint, if any, is unchanged.");
        StringAssert.Contains(File.ReadAllText(Path.Combine(checkpoint, "trainer_state.json")), "\"Step\":2");
        File.Delete(checkpoint + ".tmp");
        using var resumed = Train(Options with { CheckpointDirectory = checkpoint }, progress: null);
        Assert.IsTrue(expected.Parameters["p"].allclose(resumed.Parameters["p"], rtol: 0, atol: 0), "resumed from step 2 to the same parameters");
    }

    [TestMethod]
    public void Run_TrainerStateDamagedFromOutside_ThrowsCheckpointFormatExceptionNamingTheFile()
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("checkpoint");
        Train(Options with { CheckpointDirectory = checkpoint, StopAtStep = 2 }, progress: null).Dispose();
        string state = Path.Combine(checkpoint, "trainer_state.json");
        File.WriteAllText(state, File.ReadAllText(state)[..20]);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Train(Options with { CheckpointDirectory = checkpoint }, progress: null).Dispose());

        Assert.AreEqual(state, error.FilePath);
        StringAssert.Contains(error.Message, "the trainer state is not valid JSON");
        StringAssert.Contains(error.Message, "delete the checkpoint folder to start over");
    }

    private static TrainingOutcome Train(SoftPromptTrainerOptions options, IProgress<SoftPromptTrainingProgress>? progress)
    {
        using var parameter = new Parameter(arange(6, ScalarType.Float32).reshape(2, 3));
        return new TrainingLoop(options, [("p", parameter)], "checkpoint test").Run(options.MaxSteps,
            step => (parameter - 0.1f * step).square().sum(), validate: null, () => parameter, progress, CancellationToken.None);
    }
}
