using Microsoft.ML.PromptTuning.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Training;

/// <summary>
/// NaN/Inf during training, on the shared loop with hand-made losses (so the bad step is known exactly): the loop stops
/// with the last finite parameters, or skips the batch when allowed, and never returns or keeps NaN parameters.
/// </summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class TrainingLoopNonFiniteTests
{
    private static readonly SoftPromptTrainerOptions Options = new() { LearningRate = 0.1, MaxSteps = 6, EvaluateEverySteps = 3, BatchSize = 1 };

    [TestMethod]
    public void Run_NaNLossAtStep2_StopsWithTheParametersBeforeIt()
    {
        using var parameter = new Parameter(ones(2, 3));
        var after2Steps = new List<float[]>();

        var error = Assert.ThrowsExactly<NonFiniteLossException>(() => Run(Options, parameter, step =>
        {
            if (step == 2)
                after2Steps.Add(parameter.detach().data<float>().ToArray());
            return step == 2 ? (parameter * float.NaN).sum() : (parameter * parameter).sum();
        }));

        using var lastGood = error.LastGoodPrompt;
        Assert.AreEqual(2, error.Step);
        Assert.IsTrue(double.IsNaN(error.Loss));
        CollectionAssert.AreEqual(after2Steps.Single(), lastGood.data<float>().ToArray(), "the parameters the failing step started from");
        StringAssert.Contains(error.Message, "The training loss became NaN at step 2");
    }

    [TestMethod]
    public void Run_InfiniteGradientOfAFiniteLoss_StopsBeforeTheUpdateCanSpoilTheParameters()
    {
        // sqrt at 0: the loss is 0, its gradient infinite; clipping would turn it into NaN and the update into a NaN prompt.
        using var parameter = new Parameter(zeros(2, 3));

        var error = Assert.ThrowsExactly<NonFiniteLossException>(() => Run(Options, parameter, _ => parameter.sqrt().sum()));

        using var lastGood = error.LastGoodPrompt;
        Assert.AreEqual(0, error.Step);
        Assert.AreEqual(0.0, error.Loss);
        StringAssert.Contains(error.Message, "The gradient norm became");
        Assert.IsTrue(lastGood.isfinite().all().item<bool>());
        Assert.IsTrue(parameter.isfinite().all().item<bool>(), "the parameter itself was not updated");
    }

    [TestMethod]
    public void Run_OneBadBatchWithOneSkipAllowed_SkipsItAndFinishesFinite()
    {
        using var parameter = new Parameter(ones(2, 3));
        var losses = new List<double>();
        var progress = new ActionProgress<SoftPromptTrainingProgress>(p => losses.Add(p.Loss));

        using var outcome = Run(Options with { MaxSkippedNonFiniteSteps = 1 }, parameter,
            step => step == 2 ? (parameter * float.PositiveInfinity).sum() : (parameter * parameter).sum(), progress);

        Assert.AreEqual(6, outcome.Steps);
        Assert.IsTrue(outcome.Parameters["p"].isfinite().all().item<bool>());
        Assert.IsTrue(double.IsNaN(losses[2]), "the skipped step reports no loss");
        Assert.IsTrue(outcome.LearningCurve.All(point => double.IsFinite(point.TrainingLoss)), "the curve averages the finite losses only");
        Assert.IsTrue(losses[5] < losses[0], "training went on after the skipped batch");
    }

    [TestMethod]
    public void Run_MoreBadBatchesThanAllowed_StopsAtTheFirstBeyondTheLimit()
    {
        using var parameter = new Parameter(ones(2, 3));

        var error = Assert.ThrowsExactly<NonFiniteLossException>(() => Run(Options with { MaxSkippedNonFiniteSteps = 1 }, parameter,
            step => step is 1 or 4 ? (parameter * float.NaN).sum() : (parameter * parameter).sum()));

        using var lastGood = error.LastGoodPrompt;
        Assert.AreEqual(4, error.Step);
        Assert.IsTrue(lastGood.isfinite().all().item<bool>());
    }

    [TestMethod]
    public void Validate_NegativeSkipLimit_ThrowsNamingIt()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (Options with { MaxSkippedNonFiniteSteps = -1 }).Validate());

        Assert.AreEqual(nameof(SoftPromptTrainerOptions.MaxSkippedNonFiniteSteps), error.ParamName);
    }

    private static TrainingOutcome Run(SoftPromptTrainerOptions options, Parameter parameter, Func<int, Tensor> loss,
        IProgress<SoftPromptTrainingProgress>? progress = null) =>
        new TrainingLoop(options, [("p", parameter)], "test run").Run(options.MaxSteps, loss, validate: null, () => parameter, progress, CancellationToken.None);
}
