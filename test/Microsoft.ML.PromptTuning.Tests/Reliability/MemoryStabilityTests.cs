using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Tests.MLNet;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Reliability;

/// <summary>
/// Memory stays flat under load: 10,000 predictions, and repeated fit → transform → dispose cycles, leave no TorchSharp
/// tensor behind and grow the process only within a generous bound. Measured: tensors this thread created and did not
/// dispose (TorchSharp's per-thread lifetime statistics, blind to the garbage collector, so a tensor left to a finalizer
/// still counts), <c>torch.Tensor.TotalCount</c> after a full collection, the managed heap and the resident set.
/// TorchSharp 0.107's <c>TotalCount</c> keeps one count for every <c>Parameter</c> constructed (the tensor it is made
/// from is never counted down, even when both are disposed), so across fits it may grow by at most the parameters each fit
/// creates. Runs alone (<see cref="DoNotParallelizeAttribute"/>) so that other tests do not blur the numbers.
/// </summary>
[TestClass]
[TestCategory("Reliability")]
[DoNotParallelize]
public sealed class MemoryStabilityTests
{
    private const int Cycles = 4;

    private static readonly string[] Texts = ReliabilityModel.Texts(48);

    [TestMethod]
    public void Predict_TenThousandPredictions_LeaveNoTensorsAndMemoryFlat()
    {
        string backbone = FixtureBackboneFolder.CreateRobertaTiny("memory-predict-");
        try
        {
            var context = new MLContext(seed: 1);
            context.PromptTuning();
            var data = SentimentRows.Data(context, 8);
            string zip = Path.Combine(backbone, "model.zip");
            using (var trained = context.PromptTuning().SoftPrompt(ReliabilityModel.Options(backbone)).Fit(data))
                context.Model.Save(trained, data.Schema, zip);
            var engine = context.Model.CreatePredictionEngine<ReviewText, ReviewPrediction>(context.Model.Load(zip, out _));

            var growth = OneIntraOpThread(() => Measure(() =>
            {
                for (int i = 0; i < 10_000; i++)
                    engine.Predict(new ReviewText { Text = Texts[i % Texts.Length] });
            }, warmUp: () =>
            {
                for (int i = 0; i < 500; i++)
                    engine.Predict(new ReviewText { Text = Texts[i % Texts.Length] });
            }));

            Console.WriteLine($"10,000 predictions: {growth}");
            Assert.AreEqual(0, growth.UndisposedTensors, growth.ToString());
            Assert.IsTrue(growth.LiveTensors <= 0, growth.ToString());
            Assert.IsTrue(growth.ManagedBytes < 16 << 20, growth.ToString());
            Assert.IsTrue(growth.ResidentBytes < 64 << 20, growth.ToString());
        }
        finally
        {
            Directory.Delete(backbone, true);
        }
    }

    [TestMethod]
    public void FitTransformDispose_RepeatedCycles_LeaveNoTensorsAndMemoryFlat()
    {
        string backbone = FixtureBackboneFolder.CreateRobertaTiny("memory-fit-");
        try
        {
            var context = new MLContext(seed: 1);
            var data = SentimentRows.Data(context, 8);
            void Cycle()
            {
                using var model = context.PromptTuning().SoftPrompt(ReliabilityModel.Options(backbone, steps: 2)).Fit(data);
                model.Transform(data).GetColumn<float[]>("Score").ToList();
            }

            var growth = OneIntraOpThread(() => Measure(() =>
            {
                for (int i = 0; i < Cycles; i++)
                    Cycle();
            }, warmUp: () =>
            {
                // The first two cycles fill the allocator's and the runtime's pools; the resident set is flat after them.
                Cycle();
                Cycle();
            }));

            Console.WriteLine($"{Cycles} fit/transform/dispose cycles: {growth}");
            int parametersPerFit = BackboneParameterCount(backbone) + 1;   // the backbone's and the trained prompt
            Assert.AreEqual(0, growth.UndisposedTensors, growth.ToString());
            Assert.IsTrue(growth.LiveTensors <= Cycles * parametersPerFit, growth.ToString());
            Assert.IsTrue(growth.ManagedBytes < 32 << 20, growth.ToString());
            Assert.IsTrue(growth.ResidentBytes < 64 << 20, growth.ToString());
        }
        finally
        {
            Directory.Delete(backbone, true);
        }
    }

    // One intra-op thread: tiny models gain nothing from more, and on a busy 2-core machine spinning OpenMP workers make
    // each prediction ~20× slower. Restored afterwards; the class runs alone, so no other test sees the change.
    private static T OneIntraOpThread<T>(Func<T> action)
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            return action();
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    private static int BackboneParameterCount(string backbone)
    {
        using var model = LanguageModelLoader.Load(backbone);
        return model.parameters().Count();
    }

    private static MemoryGrowth Measure(Action work, Action warmUp)
    {
        warmUp();
        var before = Snapshot();
        work();
        var after = Snapshot();
        return new MemoryGrowth(after.Undisposed - before.Undisposed, after.Live - before.Live, after.Managed - before.Managed, after.Resident - before.Resident);
    }

    private static (long Undisposed, long Live, long Managed, long Resident) Snapshot()
    {
        long undisposed = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (undisposed, torch.Tensor.TotalCount, GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    private sealed record MemoryGrowth(long UndisposedTensors, long LiveTensors, long ManagedBytes, long ResidentBytes)
    {
        public override string ToString() =>
            $"{UndisposedTensors} undisposed tensors, {LiveTensors} live tensors, managed heap {ManagedBytes / 1024.0:F0} KB, resident set {ResidentBytes / 1048576.0:F1} MB";
    }
}
