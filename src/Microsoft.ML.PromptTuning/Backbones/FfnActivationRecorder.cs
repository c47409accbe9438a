using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Backbones;

/// <summary>
/// Collects every layer's feed-forward (FFN) activation at chosen positions during one forward pass: the input of the
/// model-stimulation (activated-neuron) transferability indicator.
/// </summary>
public sealed class FfnActivationRecorder : IDisposable
{
    private readonly List<Tensor> _layers = new();

    /// <summary>Records at <paramref name="positions"/> <c>[batch, K]</c> (int64 token positions); the caller keeps ownership.</summary>
    public FfnActivationRecorder(Tensor positions)
    {
        if (positions.dim() != 2 || positions.dtype != ScalarType.Int64)
            throw new ArgumentException($"positions must be an int64 tensor [batch, K]; got {positions.dtype} [{string.Join(", ", positions.shape)}].", nameof(positions));
        Positions = positions;
    }

    /// <summary>The recorded positions <c>[batch, K]</c>.</summary>
    public Tensor Positions { get; }

    /// <summary>Number of layers recorded so far.</summary>
    public int LayerCount => _layers.Count;

    /// <summary>Stores a layer's activation: <c>[batch, tokens, ffn]</c>, or <c>[batch, K, ffn]</c> when already gathered at the positions.</summary>
    internal void Record(Tensor activation, bool alreadyAtPositions)
    {
        var atPositions = alreadyAtPositions ? activation : Positional.Gather(activation, Positions);
        _layers.Add(atPositions.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>All layers' activations <c>[batch, layers, K, ffn]</c> (a new tensor the caller owns).</summary>
    public Tensor Stack()
    {
        if (_layers.Count == 0)
            throw new InvalidOperationException("No FFN activation was recorded: run a forward pass with this recorder first.");
        return stack(_layers, 1);
    }

    public void Dispose()
    {
        foreach (var tensor in _layers)
            tensor.Dispose();
        _layers.Clear();
    }
}
