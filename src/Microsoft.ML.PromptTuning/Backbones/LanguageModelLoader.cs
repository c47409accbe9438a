using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>Builds the right <see cref="LanguageModel"/> for a Hugging Face model folder and loads its weights.</summary>
public static class LanguageModelLoader
{
    /// <summary>
    /// Reads <c>config.json</c> from <paramref name="folderOrHubId"/> (a local folder, or a hub id resolved through
    /// <see cref="ModelLocation"/>), builds the model it describes (BERT, RoBERTa or T5), loads the weights
    /// (<c>model.safetensors</c>, sharded safetensors or <c>pytorch_model.bin</c>) and moves it to <paramref name="device"/>
    /// (CPU when null).
    /// </summary>
    public static LanguageModel Load(string folderOrHubId, Device? device = null, Action<string>? log = null)
    {
        string modelDirectory = ModelLocation.Resolve(folderOrHubId);
        var model = Create(modelDirectory);
        try
        {
            using (var reader = CheckpointFiles.OpenWeights(modelDirectory))
            {
                var report = StateDictLoader.Load(model, reader, modelDirectory);
                log?.Invoke($"Loaded {report.LoadedCount} tensors from {modelDirectory}" +
                            (report.UnusedKeys.Count == 0 ? "." : $"; ignored {report.UnusedKeys.Count} unused: {string.Join(", ", report.UnusedKeys.Take(8))}{(report.UnusedKeys.Count > 8 ? ", …" : "")}."));
            }
            if (device is not null && device.type != DeviceType.CPU)
                model.to(device);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Builds a randomly initialised model from the folder's <c>config.json</c> (no weights read).</summary>
    public static LanguageModel Create(string modelDirectory)
    {
        if (!Directory.Exists(modelDirectory))
            throw new DirectoryNotFoundException($"Model folder not found: {modelDirectory}");
        return Create(ConfigReader.FromFile(Path.Combine(modelDirectory, "config.json")));
    }

    internal static LanguageModel Create(ConfigReader config) => config.ModelType switch
    {
        "roberta" => new RobertaForMaskedLM(BertConfig.Read(config)),
        "bert" => new BertForMaskedLM(BertConfig.Read(config)),
        "t5" or "mt5" => new T5ForConditionalGeneration(T5Config.Read(config)),
        null => throw new InvalidDataException($"{config.Source}: 'model_type' is missing."),
        var other => throw new NotSupportedException($"{config.Source}: model_type '{other}' is not supported (bert, roberta, t5)."),
    };
}
