using System.Globalization;
using Microsoft.ML.PromptTuning.Training;
using ScottPlot;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>The PNG figures of a transferability report (ScottPlot): the relative-performance heatmap and learning curves.</summary>
internal static class TransferPlots
{
    /// <summary>
    /// Relative performance as a heatmap, rows = sources (top to bottom), columns = targets, every cell annotated with its value.
    /// </summary>
    public static byte[] Heatmap(TransferMatrix matrix, string title)
    {
        int rows = matrix.Sources.Count, columns = matrix.Targets.Count;
        var values = new double[rows, columns];
        for (int s = 0; s < rows; s++)
            for (int t = 0; t < columns; t++)
                values[s, t] = matrix.Relative[s][t];
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // Cell (s, t) is centred on x = t, y = rows - 1 - s, so the first source is the top row.
        heatmap.Position = new CoordinateRect(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.Add.ColorBar(heatmap).Label = "relative performance (%)";
        double finiteMax = matrix.Relative.SelectMany(r => r).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        double finiteMin = matrix.Relative.SelectMany(r => r).Where(double.IsFinite).DefaultIfEmpty(0).Min();
        for (int s = 0; s < rows; s++)
            for (int t = 0; t < columns; t++)
            {
                double value = values[s, t];
                var text = plot.Add.Text(double.IsFinite(value) ? value.ToString("F0", CultureInfo.InvariantCulture) : "–", t, rows - 1 - s);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = columns > 8 ? 11 : 14;
                // Dark text on the bright (high) end of viridis, light text elsewhere.
                bool bright = double.IsFinite(value) && finiteMax > finiteMin && (value - finiteMin) / (finiteMax - finiteMin) > 0.6;
                text.LabelFontColor = bright ? Colors.Black : Colors.White;
            }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, columns).Select(i => (double)i).ToArray(), matrix.Targets.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(), matrix.Sources.ToArray());
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.Title(title);
        plot.XLabel("target task");
        plot.YLabel("source prompt");
        int size = 140 + 60 * Math.Max(rows, columns);
        return plot.GetImageBytes(size + 160, size + 60, ImageFormat.Png);
    }

    /// <summary>Validation metric against steps for each named curve, in one figure.</summary>
    public static byte[] LearningCurves(IReadOnlyList<(string Label, IReadOnlyList<LearningCurvePoint> Curve)> curves, string title)
    {
        var plot = new Plot();
        foreach (var (label, curve) in curves)
        {
            var points = curve.Where(p => p.ValidationMetric is not null).ToList();
            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => 100 * p.ValidationMetric!.Value).ToArray());
            line.LegendText = label;
        }
        plot.ShowLegend(Alignment.LowerRight);
        plot.Title(title);
        plot.XLabel("training step");
        plot.YLabel("validation accuracy (%)");
        return plot.GetImageBytes(800, 500, ImageFormat.Png);
    }
}
