using System.Diagnostics;

namespace Microsoft.ML.PromptTuning.Samples.Terminal;

/// <summary>
/// A one-line progress bar with ETA and a running metric, redrawn in place on a terminal; when output is redirected it
/// prints a plain line at most every few seconds instead, so logs stay readable.
/// </summary>
internal sealed class ProgressLine
{
    private readonly string _label;
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();
    private readonly TimeSpan _redirectedInterval;

    public ProgressLine(string label, TimeSpan? redirectedInterval = null)
    {
        _label = label;
        _redirectedInterval = redirectedInterval ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Shows <paramref name="done"/> of <paramref name="total"/> after <paramref name="elapsed"/>, with a free-form status.</summary>
    public void Update(long done, long total, TimeSpan elapsed, string status)
    {
        double fraction = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 0;
        var eta = fraction > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction) : TimeSpan.Zero;
        string text = $"{_label} {Bar(fraction)} {done}/{total} {fraction:P0} {Format(elapsed)} ETA {Format(eta)} {status}";
        if (_interactive)
        {
            int width = Math.Max(20, SafeWindowWidth() - 1);
            Console.Write("\r" + (text.Length > width ? text[..width] : text.PadRight(width)));
            if (done >= total)
                Console.WriteLine();
        }
        else if (_sinceLastLine.Elapsed >= _redirectedInterval || done >= total)
        {
            Console.WriteLine(text);
            _sinceLastLine.Restart();
        }
    }

    private static string Bar(double fraction)
    {
        const int Width = 24;
        int filled = (int)Math.Round(fraction * Width);
        return "[" + new string('#', filled) + new string('.', Width - filled) + "]";
    }

    private static string Format(TimeSpan time) => time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss") : time.ToString(@"mm\:ss");

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
