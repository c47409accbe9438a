using Microsoft.ML.PromptTuning.Prompts;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Transfer.Indicators;

/// <summary>Every indicator for every (source prompt, target prompt) pair: the six prompt-embedding similarities and ON over all layers and per layer window.</summary>
internal static class IndicatorMatrices
{
    /// <summary>
    /// Indicator matrices <c>[source][target]</c>; <paramref name="neurons"/> holds each source's activated neurons
    /// <c>[layers, ffn]</c> (see <see cref="ModelStimulation.ActivatedNeurons"/>), in the order of <paramref name="sources"/>.
    /// </summary>
    public static List<IndicatorMatrix> Compute(IReadOnlyList<(string Name, SoftPrompt Prompt)> sources, IReadOnlyList<string> targets,
        IReadOnlyList<Tensor> neurons, int layerWindow)
    {
        var names = sources.Select(s => s.Name).ToList();
        int[] targetIndex = targets.Select(t => names.IndexOf(t) is int i and >= 0 ? i
            : throw new ArgumentException($"Target '{t}' has no prompt of its own among {string.Join(", ", names)}; indicators compare a source prompt with the target's prompt.")).ToArray();
        IndicatorMatrix Matrix(string name, string description, Func<int, int, double> value) =>
            new(name, description, names, targets, names.Select((_, s) => (IReadOnlyList<double>)targetIndex.Select(t => value(s, t)).ToArray()).ToArray());

        var matrices = new List<IndicatorMatrix>();
        foreach (var view in Enum.GetValues<PromptEmbeddingView>())
            foreach (var similarity in Enum.GetValues<VectorSimilarity>())
                matrices.Add(Matrix($"{Kebab(similarity)}-{Kebab(view)}", $"{similarity} similarity of the {view} prompt embeddings",
                    (s, t) => PromptEmbeddingSimilarity.Compute(sources[s].Prompt.Embeddings, sources[t].Prompt.Embeddings, view, similarity)));
        int layers = (int)neurons[0].shape[0];
        matrices.Add(Matrix("on", "Overlap of activated FFN neurons over all layers", (s, t) => ModelStimulation.Overlap(neurons[s], neurons[t])));
        if (layerWindow < layers)
            for (int first = 0; first < layers; first += layerWindow)
            {
                int count = Math.Min(layerWindow, layers - first), start = first;
                matrices.Add(Matrix($"on-layers-{start + 1}-{start + count}", $"Overlap of activated FFN neurons in layers {start + 1}–{start + count}",
                    (s, t) => ModelStimulation.Overlap(neurons[s], neurons[t], start, count)));
            }
        return matrices;
    }

    private static string Kebab<T>(T value) where T : Enum => value switch
    {
        PromptEmbeddingView.TokenAveraged => "averaged",
        PromptEmbeddingView.TokenWise => "tokenwise",
        _ => value.ToString().ToLowerInvariant(),
    };
}
