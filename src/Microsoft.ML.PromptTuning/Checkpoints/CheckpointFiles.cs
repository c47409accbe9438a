namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Finds and opens the weight files of a Hugging Face model folder.</summary>
public static class CheckpointFiles
{
    /// <summary>The single-file safetensors weights <c>save_pretrained</c> writes.</summary>
    public const string SafeTensorsWeights = "model.safetensors";

    /// <summary>The index of sharded safetensors weights (<c>model-0000x-of-0000y.safetensors</c>).</summary>
    public const string SafeTensorsIndex = "model.safetensors.index.json";

    /// <summary>The single-file <c>torch.save</c> weights.</summary>
    public const string PyTorchWeights = "pytorch_model.bin";

    /// <summary>The index of sharded <c>torch.save</c> weights (<c>pytorch_model-0000x-of-0000y.bin</c>).</summary>
    public const string PyTorchIndex = "pytorch_model.bin.index.json";

    /// <summary>The weight files looked for, in order of preference.</summary>
    public static IReadOnlyList<string> WeightFileNames { get; } = [SafeTensorsWeights, SafeTensorsIndex, PyTorchWeights, PyTorchIndex];

    /// <summary>
    /// Opens the weights of the model folder <paramref name="modelDirectory"/>: <c>model.safetensors</c>, else the sharded
    /// <c>model.safetensors.index.json</c>, else <c>pytorch_model.bin</c>, else the sharded <c>pytorch_model.bin.index.json</c>.
    /// </summary>
    /// <returns>A reader the caller owns and must dispose.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">None of the weight files is present; the message names the folder and the files looked for.</exception>
    /// <exception cref="CheckpointFormatException">The weight file found is malformed.</exception>
    public static ITensorReader OpenWeights(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        if (!Directory.Exists(modelDirectory))
            throw new DirectoryNotFoundException($"Model folder '{modelDirectory}' does not exist.");
        foreach (string fileName in WeightFileNames)
        {
            string path = Path.Combine(modelDirectory, fileName);
            if (File.Exists(path))
                return OpenFile(path);
        }
        throw new FileNotFoundException(
            $"Model folder '{modelDirectory}' holds no weights: looked for {string.Join(", ", WeightFileNames)}.",
            Path.Combine(modelDirectory, SafeTensorsWeights));
    }

    /// <summary>Opens one weight file, choosing the reader from its name: <c>*.safetensors</c>, <c>*.bin</c>/<c>*.pt</c>/<c>*.pth</c>, or a <c>*.index.json</c> shard index.</summary>
    /// <exception cref="ArgumentException">The name has none of these endings.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is malformed.</exception>
    public static ITensorReader OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
            return ShardedTensorReader.Open(path);
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            return SafeTensorsReader.Open(path);
        if (path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase))
            return PyTorchCheckpointReader.Open(path);
        throw new ArgumentException($"'{path}' is not a .safetensors, .bin, .pt, .pth or .index.json weight file.", nameof(path));
    }
}
