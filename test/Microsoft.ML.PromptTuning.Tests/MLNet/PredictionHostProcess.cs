using System.Diagnostics;
using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Tests.MLNet;

/// <summary>Runs test/PromptTuning.PredictionHost: loads a saved zip in a fresh process and scores texts with a PredictionEngine.</summary>
internal static class PredictionHostProcess
{
    /// <summary>The host's predictions for the JSON array of texts in <paramref name="input"/>, reading the representation from
    /// <paramref name="representationColumn"/> when given.</summary>
    public static List<LoadedPrediction> Run(string zip, string input, string? representationColumn = null)
    {
        string host = Path.Combine(SharedData.RepositoryRoot, "test", "PromptTuning.PredictionHost", "bin", "Release", "net10.0", "PromptTuning.PredictionHost.dll");
        Assert.IsTrue(File.Exists(host), $"the prediction host is built with the tests: {host}");
        string[] arguments = representationColumn is null ? [host, zip, input] : [host, zip, input, representationColumn];
        var start = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, error.Result);
        return JsonSerializer.Deserialize<List<LoadedPrediction>>(output)!;
    }
}

/// <summary>One row the prediction host printed.</summary>
internal sealed class LoadedPrediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
    public float[] MaskRepresentation { get; set; } = [];
}
