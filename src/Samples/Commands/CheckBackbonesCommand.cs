using System.CommandLine;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>check-backbones</c>: loads each reference checkpoint from both weight formats and compares outputs with the expected tensors.</summary>
internal static class CheckBackbonesCommand
{
    private const double Tolerance = 1e-4;

    public static System.CommandLine.Command Create()
    {
        var shared = new Option<DirectoryInfo>("--shared") { Description = "The shared data folder holding fixtures/.", Required = true };
        var command = new System.CommandLine.Command("check-backbones", "Compare every backbone with the reference outputs in <shared>/fixtures (safetensors and pytorch_model.bin).") { shared };
        command.SetAction(parse =>
        {
            string fixtures = Path.Combine(parse.GetValue(shared)!.FullName, "fixtures");
            if (!Directory.Exists(fixtures))
                throw new DirectoryNotFoundException($"No fixtures folder at {fixtures}.");
            bool allPass = true;
            Console.WriteLine($"{"fixture",-22} {"weights",-18} {"output",-26} {"max |diff|",10}");
            foreach (string folder in Directory.GetDirectories(fixtures).Order())
            {
                if (!File.Exists(Path.Combine(folder, "expected.safetensors")))
                    continue;
                foreach (string weights in new[] { "model.safetensors", "pytorch_model.bin" })
                    foreach (var (output, error) in Compare(folder, weights))
                    {
                        allPass &= error <= Tolerance;
                        Console.WriteLine($"{Path.GetFileName(folder),-22} {weights,-18} {output,-26} {error,10:E2}{(error <= Tolerance ? "" : "  FAIL")}");
                    }
            }
            Console.WriteLine(allPass ? $"All outputs within {Tolerance:E0}." : "Some outputs differ from the reference.");
            return allPass ? 0 : 1;
        });
        return command;
    }

    private static IEnumerable<(string Output, double Error)> Compare(string folder, string weightsFile)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var model = LoadFrom(folder, weightsFile);
        using var reader = SafeTensors.Open(Path.Combine(folder, "expected.safetensors"));
        Tensor Expected(string name) => reader.Read(name, dtype: null);
        var ids = Expected("input_ids");
        var mask = Expected("attention_mask");
        var results = new List<(string, double)>();
        if (model is MaskedLanguageModel mlm)
        {
            results.Add(("last_hidden_state", MaxError(Expected("last_hidden_state"), mlm.EncodeTokens(ids, mask))));
            var positions = Expected("mask_positions").unsqueeze(1);
            results.Add(("mask_logits", MaxError(Expected("mask_logits"), mlm.PredictTokens(mlm.EncodeTokens(ids, mask, positions)).squeeze(1))));
        }
        else if (model is T5ForConditionalGeneration t5)
        {
            var encoded = t5.EncodeTokens(ids, mask);
            results.Add(("encoder_last_hidden_state", MaxError(Expected("encoder_last_hidden_state"), encoded)));
            results.Add(("logits", MaxError(Expected("logits"), t5.PredictTokens(t5.Decode(Expected("decoder_input_ids"), encoded, mask)))));
        }
        return results;
    }

    private static LanguageModel LoadFrom(string fixture, string weightsFile)
    {
        string folder = Directory.CreateTempSubdirectory("check-backbones-").FullName;
        try
        {
            File.Copy(Path.Combine(fixture, "config.json"), Path.Combine(folder, "config.json"));
            File.CreateSymbolicLink(Path.Combine(folder, weightsFile), Path.Combine(fixture, weightsFile));
            return LanguageModelLoader.Load(folder).Freeze();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double MaxError(Tensor expected, Tensor actual) => (expected - actual).abs().max().item<float>();
}
