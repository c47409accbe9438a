namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>The tensors of an unpickled <c>torch.save</c> state dict, by key in file order.</summary>
internal static class TorchStateDict
{
    /// <summary>Checks that <paramref name="root"/> is a dict of str → tensor and returns it typed.</summary>
    /// <exception cref="CheckpointFormatException">The pickle holds something other than a flat state dict; the message names the key.</exception>
    public static OrderedDictionary<string, TorchTensorReference> FromPickle(object? root, string filePath)
    {
        if (root is not OrderedDictionary<object, object?> dictionary)
            throw new CheckpointFormatException(filePath, $"the pickle holds a {PickleValues.Describe(root)}, not a state dict (a dict of tensors).");
        var tensors = new OrderedDictionary<string, TorchTensorReference>(dictionary.Count, StringComparer.Ordinal);
        foreach ((object key, object? value) in dictionary)
        {
            if (key is not string name)
                throw new CheckpointFormatException(filePath, $"the state dict has a {PickleValues.Describe(key)} key '{key}'; keys must be str.");
            if (value is not TorchTensorReference tensor)
                throw new CheckpointFormatException(filePath, $"state dict entry '{name}' is a {PickleValues.Describe(value)}, not a tensor.");
            tensors.Add(name, tensor);
        }
        return tensors;
    }
}
