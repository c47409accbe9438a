namespace Microsoft.ML.PromptTuning.Transfer.Indicators;

/// <summary>
/// How well an indicator predicts zero-shot transfer: Pearson and Spearman correlation with relative performance over all
/// (source, target) pairs with source ≠ target, and how often the indicator's top-ranked source is the best actual source.
/// </summary>
public sealed record IndicatorCorrelation(string Indicator, int Pairs, double Pearson, double Spearman, int RecommendationHits, int RecommendationTargets)
{
    /// <summary>Hits / targets: how often the top recommendation was the best actual source.</summary>
    public double RecommendationHitRate => RecommendationTargets == 0 ? double.NaN : (double)RecommendationHits / RecommendationTargets;

    /// <summary>Correlates <paramref name="indicator"/> with the relative performance of <paramref name="matrix"/>.</summary>
    public static IndicatorCorrelation Compute(IndicatorMatrix indicator, TransferMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(matrix);
        var x = new List<double>();
        var y = new List<double>();
        int hits = 0, targets = 0;
        for (int t = 0; t < indicator.Targets.Count; t++)
        {
            int column = IndexIn(matrix.Targets, indicator.Targets[t], "target");
            var candidates = new List<(double Indicator, double Relative)>();
            for (int s = 0; s < indicator.Sources.Count; s++)
            {
                if (indicator.Sources[s] == indicator.Targets[t])
                    continue;
                double relative = matrix.Relative[IndexIn(matrix.Sources, indicator.Sources[s], "source")][column];
                if (double.IsNaN(relative) || double.IsNaN(indicator.Values[s][t]))
                    continue;
                candidates.Add((indicator.Values[s][t], relative));
            }
            x.AddRange(candidates.Select(c => c.Indicator));
            y.AddRange(candidates.Select(c => c.Relative));
            if (candidates.Count == 0)
                continue;
            targets++;
            // A hit when the top-ranked source transfers as well as the best one (ties in relative performance count).
            double best = candidates.Max(c => c.Relative);
            hits += candidates.MaxBy(c => c.Indicator).Relative >= best - 1e-9 ? 1 : 0;
        }
        return new IndicatorCorrelation(indicator.Name, x.Count, Correlation.Pearson(x, y), Correlation.Spearman(x, y), hits, targets);
    }

    private static int IndexIn(IReadOnlyList<string> names, string name, string what)
    {
        int index = names.ToList().IndexOf(name);
        return index >= 0 ? index : throw new ArgumentException($"The indicator's {what} '{name}' is not in the transfer matrix ({string.Join(", ", names)}).");
    }
}
