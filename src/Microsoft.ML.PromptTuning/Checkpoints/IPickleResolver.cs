namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>The only way a <see cref="RestrictedUnpickler"/> reaches beyond plain data: an allow-list of globals and what calling them means.</summary>
/// <remarks>Implementations build inert descriptions (never run code) and throw <see cref="PickleException"/> to refuse.</remarks>
internal interface IPickleResolver
{
    /// <summary>Admits <c>module.name</c> for <c>GLOBAL</c>/<c>STACK_GLOBAL</c>; throws <see cref="PickleException"/> naming it otherwise.</summary>
    PickleGlobal ResolveGlobal(string module, string name);

    /// <summary>The value of <c>REDUCE</c>: <paramref name="callable"/> applied to <paramref name="arguments"/>.</summary>
    object? Call(PickleGlobal callable, IReadOnlyList<object?> arguments);

    /// <summary>The object a <c>BINPERSID</c> persistent id refers to.</summary>
    object? LoadPersistent(object? persistentId);
}
