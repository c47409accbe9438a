namespace Microsoft.ML.PromptTuning.Transfer.Indicators;

/// <summary>Pearson and Spearman correlation of paired samples.</summary>
public static class Correlation
{
    /// <summary>Pearson's r; NaN when either sample is constant or there are fewer than two pairs.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        // Constant samples are caught by value: their computed variance is rounding noise (0.1 × 3 averages to 0.1000…02).
        if (x.Count < 2 || x.All(v => v == x[0]) || y.All(v => v == y[0]))
            return double.NaN;
        double meanX = x.Average(), meanY = y.Average();
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (int i = 0; i < x.Count; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            varianceX += (x[i] - meanX) * (x[i] - meanX);
            varianceY += (y[i] - meanY) * (y[i] - meanY);
        }
        return covariance / Math.Sqrt(varianceX * varianceY);
    }

    /// <summary>Spearman's ρ: Pearson's r of the ranks, tied values sharing their average rank.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>1-based ranks in ascending order; a run of equal values gets the mean of the ranks it spans.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
                end++;
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++)
                ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"The samples have different sizes ({x.Count} and {y.Count}).");
        if (x.Concat(y).Any(double.IsNaN))
            throw new ArgumentException("The samples contain NaN.");
    }
}
