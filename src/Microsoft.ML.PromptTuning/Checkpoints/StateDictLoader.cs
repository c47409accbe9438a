using Microsoft.ML.PromptTuning.Backbones;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>
/// Copies a checkpoint's tensors into a <see cref="LanguageModel"/>'s parameters one at a time (so loading never holds a
/// second copy of the model), matching names robustly: with or without the base-model prefix (<c>roberta.</c>/<c>bert.</c>),
/// legacy <c>gamma</c>/<c>beta</c> LayerNorm names, and tied weights the file may repeat or keep only under a copy's name.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads every parameter of <paramref name="model"/> from <paramref name="reader"/>. A missing parameter or a shape
    /// mismatch throws <see cref="CheckpointFormatException"/> naming the key (and both shapes); keys the model does not use
    /// are returned in the report.
    /// </summary>
    public static StateDictLoadReport Load(LanguageModel model, ITensorReader reader, string source)
    {
        var available = new HashSet<string>(reader.Names, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                string key = FindKey(name, model.BaseModelPrefix, available)
                    ?? model.TiedCopies.GetValueOrDefault(name, []).Select(copy => FindKey(copy, model.BaseModelPrefix, available)).FirstOrDefault(k => k is not null)
                    ?? throw new CheckpointFormatException(source, $"the checkpoint lacks the required tensor '{name}'.");
                var info = reader.GetInfo(key);
                if (!info.Shape.SequenceEqual(parameter.shape))
                    throw new CheckpointFormatException(source,
                        $"tensor '{key}' has shape [{string.Join(", ", info.Shape)}] in the checkpoint but the model expects [{string.Join(", ", parameter.shape)}].");
                using var value = reader.Read(key, parameter.dtype);
                parameter.copy_(value);
                used.Add(key);
            }
        }
        var tied = new HashSet<string>(model.TiedCopies.Values.SelectMany(copies => copies).SelectMany(k => new[] { k, model.BaseModelPrefix + k }));
        var unused = available.Where(k => !used.Contains(k) && !tied.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        return new StateDictLoadReport(used.Count, unused);
    }

    /// <summary>The checkpoint key holding parameter <paramref name="name"/>, or null.</summary>
    private static string? FindKey(string name, string prefix, HashSet<string> available) =>
        Candidates(name, prefix).FirstOrDefault(available.Contains);

    private static IEnumerable<string> Candidates(string name, string prefix)
    {
        var spellings = new List<string> { name };
        if (prefix.Length > 0)
            spellings.Add(name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : prefix + name);
        foreach (string spelling in spellings)
        {
            yield return spelling;
            // Checkpoints converted from TF-era BERT name LayerNorm parameters gamma/beta.
            if (!spelling.Contains("LayerNorm.", StringComparison.Ordinal) && !spelling.Contains("layer_norm.", StringComparison.Ordinal))
                continue;
            if (spelling.EndsWith(".weight", StringComparison.Ordinal))
                yield return spelling[..^".weight".Length] + ".gamma";
            else if (spelling.EndsWith(".bias", StringComparison.Ordinal))
                yield return spelling[..^".bias".Length] + ".beta";
        }
    }
}
