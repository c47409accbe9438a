using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Backbones;

/// <summary>Loads the fixture checkpoints of ../shared/fixtures from a chosen weights file, and their expected outputs.</summary>
internal static class FixtureModels
{
    /// <summary>
    /// Loads fixture <paramref name="name"/> from <paramref name="weightsFile"/> alone (<c>model.safetensors</c> or
    /// <c>pytorch_model.bin</c>) by copying it with <c>config.json</c> into a fresh folder.
    /// </summary>
    public static LanguageModel Load(string name, string weightsFile)
    {
        string source = SharedData.Fixture(name);
        string folder = Path.Combine(Path.GetTempPath(), "prompt-transfer-tests", $"{name}-{weightsFile}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.Copy(Path.Combine(source, "config.json"), Path.Combine(folder, "config.json"));
            File.Copy(Path.Combine(source, weightsFile), Path.Combine(folder, weightsFile));
            return LanguageModelLoader.Load(folder).Freeze();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The fixture's <c>expected.safetensors</c>: every tensor read as stored.</summary>
    public static Dictionary<string, Tensor> Expected(string name)
    {
        using var reader = SafeTensorsReader.Open(Path.Combine(SharedData.Fixture(name), "expected.safetensors"));
        return reader.Names.ToDictionary(n => n, n => reader.Read(n, dtype: null));
    }

    /// <summary>Asserts that <paramref name="actual"/> matches <paramref name="expected"/> in shape and within <paramref name="tolerance"/>.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what, double tolerance = 1e-4)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, $"{what}: shape");
        double maxError = (expected - actual.to(expected.dtype)).abs().max().item<float>();
        Assert.IsTrue(maxError <= tolerance, $"{what}: max |difference| {maxError:E3} exceeds {tolerance:E1}");
    }
}
