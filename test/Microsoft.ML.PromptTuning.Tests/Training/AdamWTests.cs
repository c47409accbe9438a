using Microsoft.ML.PromptTuning.Training;
using TorchSharp.Modules;
using AdamW = Microsoft.ML.PromptTuning.Training.AdamW;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Training;

[TestClass]
public sealed class AdamWTests
{
    [TestMethod]
    public void Step_OneParameter_MatchesHandComputedUpdate()
    {
        using var parameter = new Parameter(tensor(new float[] { 1f, -2f }).reshape(1, 2));
        using var optimizer = new AdamW(new[] { ("w", parameter) }, weightDecay: 0.1);
        parameter.grad = tensor(new float[] { 0.5f, -1f }).reshape(1, 2);

        optimizer.Step(learningRate: 0.01);

        // Step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g|+eps) after decoupled decay w·(1 − lr·wd).
        double[] expected = { 1 * (1 - 0.001) - 0.01 * 0.5 / (0.5 + 1e-8), -2 * (1 - 0.001) - 0.01 * -1 / (1 + 1e-8) };
        var actual = parameter.data<float>().ToArray();
        for (int i = 0; i < 2; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-6);
    }

    [TestMethod]
    public void SaveLoad_MidRun_ContinuesIdentically()
    {
        string path = Path.Combine(Path.GetTempPath(), $"adamw-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var a = new Parameter(tensor(new float[] { 1f, 2f, 3f }));
            using var b = new Parameter(tensor(new float[] { 1f, 2f, 3f }));
            using var first = new AdamW(new[] { ("p", a) });
            using var second = new AdamW(new[] { ("p", b) });
            for (int step = 0; step < 3; step++)
            {
                a.grad = a.detach() * 0.3f + step;
                first.Step(0.1);
            }
            first.Save(path);
            using (no_grad())
                b.copy_(a);
            second.Load(path);
            Assert.AreEqual(3, second.StepCount);
            a.grad = tensor(new float[] { 1f, -1f, 0.5f });
            b.grad = tensor(new float[] { 1f, -1f, 0.5f });
            first.Step(0.1);
            second.Step(0.1);
            CollectionAssert.AreEqual(a.data<float>().ToArray(), b.data<float>().ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Schedule_WarmupThenLinearDecay_ReachesPeakThenZero()
    {
        var schedule = new LearningRateSchedule(1e-3, WarmupSteps: 10, TotalSteps: 110);
        Assert.AreEqual(1e-4, schedule.At(0), 1e-12);
        Assert.AreEqual(1e-3, schedule.At(9), 1e-12);
        Assert.AreEqual(5e-4, schedule.At(60), 1e-12);
        Assert.AreEqual(0, schedule.At(110), 1e-12);
        Assert.AreEqual(1e-3, (schedule with { LinearDecay = false }).At(100), 1e-12);
    }
}
