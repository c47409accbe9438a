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
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(Cells(matrix, out var extent));
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = extent;
        plot.Add.ColorBar(heatmap).Label = "relative performance (%)";
        double finiteMax = matrix.Relative.SelectMany(r => r).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        double finiteMin = matrix.Relative.SelectMany(r => r).Where(double.IsFinite).DefaultIfEmpty(0).Min();
        for (int s = 0; s < rows; s++)
            for (int t = 0; t < columns; t++)
            {
                double value = matrix.Relative[s][t];
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
        int labelSpace = 20 + 6 * matrix.Targets.Max(t => t.Length);
        plot.Axes.Bottom.MinimumSize = labelSpace;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(), matrix.Sources.ToArray());
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.Title(title);
        plot.XLabel("target task");
        plot.YLabel("source prompt");
        int size = 140 + 60 * Math.Max(rows, columns);
        return plot.GetImageBytes(size + 160, size + 60 + labelSpace, ImageFormat.Png);
    }

    /// <summary>
    /// The heatmap's values <c>[source, target]</c> and the extent of its cell centres: ScottPlot spaces cells by
    /// <c>extent / (count − 1)</c>, so a single row or column is drawn as two half-width copies.
    /// </summary>
    private static double[,] Cells(TransferMatrix matrix, out CoordinateRect extent)
    {
        int rows = matrix.Sources.Count, columns = matrix.Targets.Count;
        int drawnRows = Math.Max(rows, 2), drawnColumns = Math.Max(columns, 2);
        var values = new double[drawnRows, drawnColumns];
        for (int s = 0; s < drawnRows; s++)
            for (int t = 0; t < drawnColumns; t++)
                values[s, t] = matrix.Relative[Math.Min(s, rows - 1)][Math.Min(t, columns - 1)];
        // Centres of the first and last cells; cell (s, t) then covers x = t ± 0.5 and y = rows - 1 - s ± 0.5.
        (double left, double right) = columns == 1 ? (-0.25, 0.25) : (0, columns - 1);
        (double bottom, double top) = rows == 1 ? (-0.25, 0.25) : (0, rows - 1);
        extent = new CoordinateRect(left, right, bottom, top);
        return values;
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
