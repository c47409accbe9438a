using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Benchmarks;

/// <summary>The figures of one benchmark run: printed as they come, then written as JSON and as a Markdown table.</summary>
internal sealed class BenchReport
{
    private readonly List<Figure> _figures = new();

    public void Add(string name, double value, string unit, string? goal = null, bool? met = null)
    {
        _figures.Add(new Figure(name, Math.Round(value, 4), unit, goal, met));
        string verdict = met is null ? "" : met.Value ? "  [goal met]" : "  [goal NOT met]";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {value:G4} {unit}{(goal is null ? "" : $"  (goal {goal})")}{verdict}"));
    }

    public void Write(string folder, IReadOnlyDictionary<string, string> machine)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "bench.json"), JsonSerializer.Serialize(new { machine, figures = _figures }, new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        md.AppendLine("# Benchmark").AppendLine();
        foreach (var (key, value) in machine)
            md.AppendLine($"- {key}: {value}");
        md.AppendLine().AppendLine("| figure | value | unit | goal | met |").AppendLine("|---|---:|---|---|---|");
        foreach (var f in _figures)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Value:G4} | {f.Unit} | {f.Goal ?? ""} | {(f.Met is null ? "" : f.Met.Value ? "yes" : "**no**")} |"));
        File.WriteAllText(Path.Combine(folder, "bench.md"), md.ToString());
        Console.WriteLine($"written {Path.Combine(folder, "bench.json")} and bench.md");
    }

    private sealed record Figure(string Name, double Value, string Unit, string? Goal, bool? Met);
}
