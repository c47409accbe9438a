using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Tests.MLNet;

/// <summary>Runs test/PromptTuning.PredictionHost: loads a saved zip in a fresh process and scores texts with a PredictionEngine.</summary>
internal static class PredictionHostProcess
{
    /// <summary>The host's predictions for the JSON array of texts in <paramref name="input"/>, reading the representation from
    /// <paramref name="representationColumn"/> when given; the host runs in <paramref name="workingDirectory"/> when given.</summary>
    public static List<LoadedPrediction> Run(string zip, string input, string? representationColumn = null, string? workingDirectory = null)
    {
        var (exitCode, output, error) = HostProcess.Run(representationColumn is null ? [zip, input] : [zip, input, representationColumn], workingDirectory: workingDirectory);
        Assert.AreEqual(0, exitCode, error);
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
