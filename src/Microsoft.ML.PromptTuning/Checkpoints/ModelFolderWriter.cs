using System.Text.Json;
using Microsoft.ML.PromptTuning.Backbones;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>
/// Writes a model as a Hugging Face model folder that both this library and Python <c>transformers</c> load without
/// conversion: <c>config.json</c>, <c>model.safetensors</c> (tied weights omitted, as <c>save_pretrained</c> does) and the
/// tokenizer files copied from their source folder.
/// </summary>
public static class ModelFolderWriter
{
    /// <summary>Tokenizer files copied when present in the tokenizer folder.</summary>
    public static IReadOnlyList<string> TokenizerFiles { get; } =
        ["vocab.json", "merges.txt", "vocab.txt", "spiece.model", "tokenizer_config.json", "special_tokens_map.json"];

    /// <summary>Writes <paramref name="model"/> to <paramref name="directory"/>, storing weights as <paramref name="dtype"/> (e.g. float16 to halve the size).</summary>
    public static void Write(LanguageModel model, string directory, string? tokenizerDirectory, ScalarType dtype = ScalarType.Float32)
    {
        Directory.CreateDirectory(directory);
        var config = model.ToConfigJson();
        config["torch_dtype"] = dtype switch
        {
            ScalarType.Float16 => "float16",
            ScalarType.BFloat16 => "bfloat16",
            _ => "float32",
        };
        AtomicFile.Write(Path.Combine(directory, "config.json"), stream =>
            JsonSerializer.Serialize(stream, config, new JsonSerializerOptions { WriteIndented = true }));
        using (var scope = NewDisposeScope())
        {
            var tensors = model.named_parameters()
                .Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter.detach().cpu().to(dtype)))
                .ToList();
            SafeTensors.Save(Path.Combine(directory, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        }
        if (tokenizerDirectory is not null)
            CopyTokenizer(model, tokenizerDirectory, directory);
    }

    private static void CopyTokenizer(LanguageModel model, string source, string destination)
    {
        var copied = TokenizerFiles.Where(f => File.Exists(Path.Combine(source, f))).ToList();
        if (copied.Count == 0)
            throw new FileNotFoundException($"No tokenizer file ({string.Join(", ", TokenizerFiles)}) found in {source}.");
        foreach (string file in copied)
            if (!string.Equals(Path.GetFullPath(source), Path.GetFullPath(destination), StringComparison.Ordinal))
                File.Copy(Path.Combine(source, file), Path.Combine(destination, file), overwrite: true);
        string configPath = Path.Combine(destination, "tokenizer_config.json");
        if (!File.Exists(configPath))
        {
            // transformers needs the class (and T5's sentinel count) to build the tokenizer from these files.
            var tokenizerConfig = model.ModelType switch
            {
                "t5" => new Dictionary<string, object> { ["tokenizer_class"] = "T5Tokenizer", ["extra_ids"] = 100, ["model_max_length"] = model.MaxSequenceLength },
                "roberta" => new Dictionary<string, object> { ["tokenizer_class"] = "RobertaTokenizer", ["model_max_length"] = model.MaxSequenceLength },
                _ => new Dictionary<string, object> { ["tokenizer_class"] = "BertTokenizer", ["model_max_length"] = model.MaxSequenceLength },
            };
            AtomicFile.Write(configPath, stream => JsonSerializer.Serialize(stream, tokenizerConfig, new JsonSerializerOptions { WriteIndented = true }));
        }
    }
}
