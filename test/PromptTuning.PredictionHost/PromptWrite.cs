using Microsoft.ML.PromptTuning.Prompts;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.PredictionHost;

/// <summary>Saves a random prompt, so a test can watch a save fail under this process's limits (file size, privileges).</summary>
internal static class PromptWrite
{
    /// <param name="args">The output file, the number of soft tokens and the hidden size.</param>
    public static int Run(string[] args)
    {
        int tokens = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        int hidden = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        using var prompt = new SoftPrompt(randn(tokens, hidden), new BackboneInfo("host", "roberta", hidden));
        prompt.Save(args[0]);
        Console.WriteLine("saved");
        return 0;
    }
}
