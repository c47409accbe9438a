namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>The allow-list for <c>torch.save</c> state dicts: OrderedDict, the tensor/parameter rebuild functions and typed storages.</summary>
/// <remarks>
/// Calls produce inert <see cref="TorchTensorReference"/> descriptions; persistent ids become <see cref="TorchStorageReference"/>s
/// whose bytes the reader fetches later. Any other global (e.g. <c>os.system</c>) is refused before it can be called.
/// </remarks>
internal sealed class TorchPickleResolver : IPickleResolver
{
    private const string OrderedDict = "collections.OrderedDict";
    private const string RebuildTensor = "torch._utils._rebuild_tensor_v2";
    private const string RebuildParameter = "torch._utils._rebuild_parameter";
    private const string RebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";

    private static readonly Dictionary<string, TensorDType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["torch.DoubleStorage"] = TensorDType.F64,
        ["torch.FloatStorage"] = TensorDType.F32,
        ["torch.HalfStorage"] = TensorDType.F16,
        ["torch.BFloat16Storage"] = TensorDType.BF16,
        ["torch.LongStorage"] = TensorDType.I64,
        ["torch.IntStorage"] = TensorDType.I32,
        ["torch.ShortStorage"] = TensorDType.I16,
        ["torch.CharStorage"] = TensorDType.I8,
        ["torch.ByteStorage"] = TensorDType.U8,
        ["torch.BoolStorage"] = TensorDType.Bool,
    };

    private static readonly HashSet<string> Callables = new(StringComparer.Ordinal)
    {
        OrderedDict, RebuildTensor, RebuildParameter, RebuildParameterWithState,
    };

    private readonly Dictionary<string, TorchStorageReference> _storages = new(StringComparer.Ordinal);

    /// <summary>Every storage the pickle referred to, by key.</summary>
    public IReadOnlyDictionary<string, TorchStorageReference> Storages => _storages;

    /// <inheritdoc />
    public PickleGlobal ResolveGlobal(string module, string name)
    {
        string qualified = $"{module}.{name}";
        if (!Callables.Contains(qualified) && !StorageTypes.ContainsKey(qualified))
        {
            throw new PickleException($"global '{qualified}' is not allowed: a state dict may only reference "
                + string.Join(", ", Callables.Concat(StorageTypes.Keys)) + ". The file may be malicious; nothing was executed.");
        }
        return new PickleGlobal(module, name);
    }

    /// <inheritdoc />
    public object? Call(PickleGlobal callable, IReadOnlyList<object?> arguments)
    {
        switch (callable.ToString())
        {
            case OrderedDict:
                if (arguments.Count != 0)
                    throw new PickleException($"{OrderedDict} is only rebuilt empty, not from {arguments.Count} argument(s).");
                return new OrderedDictionary<object, object?>();
            case RebuildTensor:
                return RebuildTensorV2(arguments);
            case RebuildParameter:
                // _rebuild_parameter(data, requires_grad, backward_hooks)
                return UnwrapParameter(callable, arguments, 3);
            case RebuildParameterWithState:
                // _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state)
                return UnwrapParameter(callable, arguments, 4);
            default:
                throw new PickleException($"'{callable}' is allow-listed as a storage type, not as something REDUCE may call.");
        }
    }

    /// <inheritdoc />
    public object? LoadPersistent(object? persistentId)
    {
        // torch.save writes ('storage', storage_type, key, location, element_count) for every storage.
        if (persistentId is not PickleTuple { Items: [string kind, PickleGlobal type, string key, string, long count] } || kind != "storage")
            throw new PickleException($"a persistent id is not ('storage', type, key, location, size) but a {PickleValues.Describe(persistentId)}.");
        if (!StorageTypes.TryGetValue(type.ToString(), out TensorDType dtype))
            throw new PickleException($"'{type}' is not a storage type.");
        if (key.Length is 0 or > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new PickleException($"storage key '{Truncate(key)}' is not a plain name of letters, digits and underscores.");
        if (count < 0)
            throw new PickleException($"storage '{key}' has a negative size {count}.");
        var storage = new TorchStorageReference(key, dtype, count);
        if (_storages.TryGetValue(key, out TorchStorageReference? known))
        {
            if (known != storage)
                throw new PickleException($"storage '{key}' is described twice, as {known.DType}[{known.ElementCount}] and {dtype}[{count}].");
            return known;
        }
        _storages.Add(key, storage);
        return storage;
    }

    private static TorchTensorReference RebuildTensorV2(IReadOnlyList<object?> arguments)
    {
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (arguments.Count is not (6 or 7))
            throw new PickleException($"{RebuildTensor} takes 6 or 7 arguments, not {arguments.Count}.");
        if (arguments[0] is not TorchStorageReference storage)
            throw new PickleException($"{RebuildTensor} got a {PickleValues.Describe(arguments[0])} instead of a storage.");
        if (arguments[1] is not long offset)
            throw new PickleException($"{RebuildTensor} got a {PickleValues.Describe(arguments[1])} storage offset instead of an int.");
        if (arguments[5] is OrderedDictionary<object, object?> { Count: > 0 })
            throw new PickleException($"{RebuildTensor} got backward hooks; a state dict has none.");
        return TorchTensorReference.Create(storage, offset, Integers(arguments[2], "size"), Integers(arguments[3], "stride"));
    }

    private static long[] Integers(object? value, string what)
    {
        if (value is not PickleTuple tuple || tuple.Items.Any(item => item is not long))
            throw new PickleException($"{RebuildTensor} got a {what} that is not a tuple of ints.");
        return tuple.Items.Select(item => (long)item!).ToArray();
    }

    private static TorchTensorReference UnwrapParameter(PickleGlobal callable, IReadOnlyList<object?> arguments, int count)
    {
        if (arguments.Count != count)
            throw new PickleException($"{callable} takes {count} arguments, not {arguments.Count}.");
        return arguments[0] as TorchTensorReference
            ?? throw new PickleException($"{callable} wraps a {PickleValues.Describe(arguments[0])}, not a tensor.");
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
