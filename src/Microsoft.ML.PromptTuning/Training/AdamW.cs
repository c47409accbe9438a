using Microsoft.ML.PromptTuning.Backbones;
using System.Globalization;
using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Training;

/// <summary>
/// AdamW (decoupled weight decay, as <c>torch.optim.AdamW</c>) over named parameters, with state that saves to and loads
/// from safetensors so a run resumes bit-for-bit. One-dimensional parameters (biases, norms) get no weight decay.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> _parameters;
    private readonly Dictionary<string, (Tensor Mean, Tensor Variance)> _state = new();
    private readonly double _beta1, _beta2, _eps, _weightDecay;

    /// <summary>Optimises <paramref name="parameters"/> (name → parameter; names key the saved state).</summary>
    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        _parameters = parameters.ToList();
        if (_parameters.Count == 0)
            throw new ArgumentException("AdamW needs at least one parameter to optimise.", nameof(parameters));
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _weightDecay = weightDecay;
    }

    /// <summary>Number of updates taken so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/> to every parameter that has a gradient.</summary>
    public void Step(double learningRate)
    {
        StepCount++;
        double correction1 = 1 - Math.Pow(_beta1, StepCount);
        double correction2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, StepCount));
        using var noGrad = no_grad();
        // Explicit scalars held until the loop is done: see RootedScalars.
        using Scalar decay = (1 - learningRate * _weightDecay).ToScalar(), beta1 = _beta1.ToScalar(), keep1 = (1 - _beta1).ToScalar(),
            beta2 = _beta2.ToScalar(), keep2 = (1 - _beta2).ToScalar(), correction2 = correction2Sqrt.ToScalar(), eps = _eps.ToScalar(),
            stepSize = (-learningRate / correction1).ToScalar();
        foreach (var (name, parameter) in _parameters)
        {
            using var scope = NewDisposeScope();
            var grad = parameter.grad;
            if (grad is null)
                continue;
            var (mean, variance) = State(name, parameter);
            if (_weightDecay > 0 && parameter.dim() > 1)
                parameter.mul_(decay);
            mean.mul_(beta1).add_(grad, alpha: keep1);
            variance.mul_(beta2).addcmul_(grad, grad, value: keep2);
            var denominator = variance.sqrt().div(correction2).add_(eps, RootedScalars.One);
            parameter.addcdiv_(mean, denominator, value: stepSize);
        }
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, parameter) in _parameters)
            parameter.grad?.zero_();
    }

    /// <summary>Writes the moment estimates and step count to a safetensors file (atomically).</summary>
    public void Save(string path)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, (mean, variance)) in _state.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            tensors.Add(new("exp_avg." + name, mean));
            tensors.Add(new("exp_avg_sq." + name, variance));
        }
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["step"] = StepCount.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>Restores state written by <see cref="Save"/>; parameter names and shapes must match.</summary>
    public void Load(string path)
    {
        using var reader = SafeTensors.Open(path);
        if (!reader.Metadata.TryGetValue("step", out var step) || !long.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out long steps))
            throw new CheckpointFormatException(path, "optimizer state lacks its 'step' metadata.");
        DisposeState();
        var byName = _parameters.ToDictionary(p => p.Name, p => p.Parameter);
        foreach (string key in reader.Names.Where(k => k.StartsWith("exp_avg.", StringComparison.Ordinal)))
        {
            string name = key["exp_avg.".Length..];
            if (!byName.TryGetValue(name, out var parameter))
                throw new CheckpointFormatException(path, $"optimizer state names parameter '{name}', which the model does not have.");
            var mean = reader.Read(key).to(parameter.device);
            var variance = reader.Read("exp_avg_sq." + name).to(parameter.device);
            if (!mean.shape.SequenceEqual(parameter.shape) || !variance.shape.SequenceEqual(parameter.shape))
                throw new CheckpointFormatException(path, $"optimizer state for '{name}' does not match the parameter's shape [{string.Join(", ", parameter.shape)}].");
            _state[name] = (mean.DetachFromDisposeScope(), variance.DetachFromDisposeScope());
        }
        StepCount = steps;
    }

    private (Tensor Mean, Tensor Variance) State(string name, Parameter parameter)
    {
        if (!_state.TryGetValue(name, out var state))
        {
            state = (zeros_like(parameter).DetachFromDisposeScope(), zeros_like(parameter).DetachFromDisposeScope());
            _state[name] = state;
        }
        return state;
    }

    private void DisposeState()
    {
        foreach (var (mean, variance) in _state.Values)
        {
            mean.Dispose();
            variance.Dispose();
        }
        _state.Clear();
    }

    public void Dispose() => DisposeState();
}
