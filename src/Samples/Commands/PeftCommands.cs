using System.CommandLine;
using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary><c>export-peft</c> / <c>import-peft</c>: prompts between this library's safetensors files and Hugging Face PEFT's prompt-tuning adapter layout.</summary>
internal static class PeftCommands
{
    public static System.CommandLine.Command Export()
    {
        var prompt = new Option<FileInfo>("--prompt") { Description = "A prompt saved by this library (prompt.safetensors).", Required = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "Adapter folder to write: adapter_config.json (PROMPT_TUNING) and adapter_model.safetensors (prompt_embeddings).", Required = true };
        var command = new System.CommandLine.Command("export-peft", "Export a prompt as a PEFT prompt-tuning adapter that Python's peft loads.") { prompt, output };
        command.SetAction(parse =>
        {
            using var loaded = SoftPrompt.Load(parse.GetValue(prompt)!.FullName);
            loaded.ExportPeft(parse.GetValue(output)!.FullName);
            Console.WriteLine($"{loaded.TokenCount}x{loaded.HiddenSize} prompt exported to {parse.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }

    public static System.CommandLine.Command Import()
    {
        var peft = new Option<DirectoryInfo>("--peft") { Description = "A PEFT prompt-tuning adapter folder (adapter_config.json + adapter_model.safetensors or adapter_model.bin).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The prompt file to write (safetensors with this library's metadata).", Required = true };
        var command = new System.CommandLine.Command("import-peft", "Import a PEFT prompt-tuning adapter as a prompt this library trains from, transfers and evaluates.") { peft, output };
        command.SetAction(parse =>
        {
            using var loaded = SoftPrompt.ImportPeft(parse.GetValue(peft)!.FullName);
            loaded.Save(parse.GetValue(output)!.FullName);
            Console.WriteLine($"{loaded.TokenCount}x{loaded.HiddenSize} prompt imported to {parse.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }
}
