namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Names the Python type of an unpickled value, for error messages.</summary>
internal static class PickleValues
{
    public static string Describe(object? value) => value switch
    {
        null => "None",
        string => "str",
        long => "int",
        double => "float",
        bool => "bool",
        PickleTuple => "tuple",
        List<object?> => "list",
        OrderedDictionary<object, object?> => "dict",
        PickleGlobal global => global.ToString(),
        _ => value.GetType().Name,
    };
}
