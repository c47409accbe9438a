using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.ML.PromptTuning.Prompts;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>
/// Everything a saved soft-prompt model needs, as one JSON string stored inside the ML.NET zip (in a <c>ValueMapping</c>):
/// the prompt (base64 float32 with its SHA-256), template, label words, column binding, label type, and a reference to the
/// backbone (folder or hub id plus the SHA-256 of its weights), which is verified at load and never copied into the zip.
/// </summary>
public sealed record SoftPromptState
{
    /// <summary>The layout this code writes; zips with a larger version come from a newer library and are refused.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public required string PromptSha256 { get; init; }
    public required string BackbonePath { get; init; }
    public required string BackboneSha256 { get; init; }
    public required string ModelType { get; init; }
    public required int HiddenSize { get; init; }
    public required string Template { get; init; }
    public required JsonArray LabelWords { get; init; }
    public MultiTokenHandling MultiTokenHandling { get; init; }
    public required string[] TextColumns { get; init; }
    public required LabelKind LabelKind { get; init; }
    public string[] KeyValues { get; init; } = [];
    public required int MaxLength { get; init; }
    public int BatchSize { get; init; } = PromptClassifier.DefaultBatchSize;
    public required int PromptRows { get; init; }
    public required string PromptBase64 { get; init; }

    /// <summary>The mask-representation output column, or null when the model adds none (then absent from the JSON, as before the option existed).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MaskRepresentationColumn { get; init; }

    /// <summary>
    /// The backbone's folder as an absolute path when the model was saved (absent in older models): the fallback when
    /// <see cref="BackbonePath"/>, as the user gave it (often relative), does not resolve from the loading process's folder.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BackboneDirectory { get; init; }

    /// <summary>Where to load the backbone from: <see cref="BackbonePath"/> when it is a folder here or no saved folder exists, else <see cref="BackboneDirectory"/>.</summary>
    internal string BackboneLocation() =>
        Directory.Exists(BackbonePath) || BackboneDirectory is null || !Directory.Exists(BackboneDirectory) ? BackbonePath : BackboneDirectory;

    /// <summary>The output column names (null in models saved before they were recorded: ML.NET's default names).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PredictedLabelColumn { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ScoreColumn { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProbabilityColumn { get; init; }

    /// <summary>Captures a prompt <c>[N, hidden]</c> with its settings.</summary>
    internal static SoftPromptState Create(Tensor prompt, SoftPromptPredictor predictor, BackboneReference backbone, string backboneSha256, SoftPromptOutputSchema outputs)
    {
        byte[] bytes;
        long rows;
        using (NewDisposeScope())
        {
            var cpu = prompt.detach().to(ScalarType.Float32, CPU).contiguous();
            bytes = cpu.bytes.ToArray();
            rows = cpu.shape[0];
        }
        var classifier = predictor.Classifier;
        return new SoftPromptState
        {
            PromptSha256 = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(),
            BackbonePath = backbone.NameOrPath,
            BackboneDirectory = Path.GetFullPath(backbone.Directory),
            BackboneSha256 = backboneSha256,
            ModelType = classifier.Backbone.ModelType,
            HiddenSize = classifier.Backbone.HiddenSize,
            Template = classifier.Encoder.Template.ToString(),
            LabelWords = classifier.Verbalizer.LabelWords.ToJson(),
            MultiTokenHandling = classifier.Verbalizer.Handling,
            TextColumns = predictor.Binding.Columns.ToArray(),
            LabelKind = outputs.Label.Kind,
            KeyValues = outputs.Label.KeyValues.ToArray(),
            MaxLength = classifier.Encoder.MaxLength,
            BatchSize = predictor.BatchSize,
            PromptRows = (int)rows,
            PromptBase64 = Convert.ToBase64String(bytes),
            MaskRepresentationColumn = outputs.MaskRepresentationColumn,
            PredictedLabelColumn = outputs.PredictedLabelColumn,
            ScoreColumn = outputs.ScoreColumn,
            ProbabilityColumn = outputs.ProbabilityColumn,
        };
    }

    public string Serialize() => JsonSerializer.Serialize(this);

    /// <summary>Parses and checks a stored state; a newer format, malformed JSON or a tampered prompt is an error saying so.</summary>
    public static SoftPromptState Parse(string json) => VersionedState.Parse<SoftPromptState>(json, CurrentFormatVersion, "soft-prompt model");

    /// <summary>The prompt <c>[N, hidden]</c>, after checking its bytes against <see cref="PromptSha256"/>.</summary>
    public Tensor Prompt()
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(PromptBase64);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException("The stored soft prompt is not valid base64.", e);
        }
        string actual = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        if (actual != PromptSha256)
            throw new InvalidDataException($"The stored soft prompt was modified: its SHA-256 is {actual}, the model recorded {PromptSha256}.");
        if (bytes.Length != (long)PromptRows * HiddenSize * sizeof(float))
            throw new InvalidDataException($"The stored soft prompt has {bytes.Length} bytes, not {PromptRows}×{HiddenSize} float32 values.");
        var prompt = empty(PromptRows, HiddenSize, ScalarType.Float32);
        bytes.CopyTo(prompt.bytes);
        return prompt;
    }
}
