using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Benchmarks;

/// <summary>
/// The CPU-side steps around the backbone, where BenchmarkDotNet fits (short, allocation-sensitive, repeatable): encoding
/// SST-2 rows through the template (tokenization + truncation + layout) and opening a checkpoint (header parse + mapping).
/// </summary>
[MemoryDiagnoser]
public class MicroBenchmarks
{
    /// <summary>Rows encoded per invocation of <see cref="EncodeRows"/>.</summary>
    public const int Rows = 256;

    private PromptEncoder _encoder = null!;
    private string[] _sentences = null!;
    private string _checkpoint = null!;

    /// <summary>The shipped model folder and SST-2 file (set before the run).</summary>
    public static string ModelFolder { get; set; } = "";
    public static string Sst2File { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var tokenizer = ModelTokenizer.FromDirectory(ModelFolder);
        _encoder = new PromptEncoder(PromptTemplate.MaskedLmDefault(100), tokenizer, 256);
        _sentences = TabularFile.Load(Sst2File, ["sentence"]).GetColumn<string>("sentence").Take(Rows).ToArray();
        _checkpoint = Path.Combine(ModelFolder, "model.safetensors");
    }

    [Benchmark(Description = "encode 256 SST-2 rows through the template")]
    public int EncodeRows()
    {
        int tokens = 0;
        foreach (string sentence in _sentences)
            tokens += _encoder.Encode(sentence).Length;
        return tokens;
    }

    [Benchmark(Description = "open model.safetensors (header + tensor table)")]
    public int OpenCheckpoint()
    {
        using var reader = SafeTensors.Open(_checkpoint);
        return reader.Names.Count;
    }

    /// <summary>Runs the class in-process (no child build) with a short job and adds mean time and allocations to the report.</summary>
    internal static void Run(string modelFolder, string sst2File, BenchReport report)
    {
        (ModelFolder, Sst2File) = (modelFolder, sst2File);
        // BenchmarkDotNet's per-iteration log goes to memory and is printed only when a benchmark gives no result.
        var log = new AccumulationLogger();
        var config = ManualConfig.CreateEmpty()
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(log)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        Summary summary = BenchmarkRunner.Run<MicroBenchmarks>(config);
        if (summary.Reports.Any(result => result.ResultStatistics is null) || summary.Reports.IsEmpty)
            Console.WriteLine(log.GetLog());
        foreach (var result in summary.Reports)
        {
            string name = result.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
            if (result.ResultStatistics is not { } statistics)
            {
                Console.WriteLine($"  {name}: no result");
                continue;
            }
            report.Add($"{name}: mean (BenchmarkDotNet)", statistics.Mean / 1e3, "µs");
            if (result.GcStats.GetBytesAllocatedPerOperation(result.BenchmarkCase) is long bytes)
                report.Add($"{name}: allocated", bytes / 1024.0, "KiB/op");
            if (result.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(EncodeRows))
                report.Add("template encoding throughput", Rows / (statistics.Mean / 1e9), "rows/s");
        }
    }
}
