using System.Diagnostics;

namespace Microsoft.ML.PromptTuning.Tests;

/// <summary>
/// Runs <c>test/PromptTuning.PredictionHost</c> (built with the tests) as a separate process: a fresh runtime for save → load
/// tests, a training run to kill, or a save under other process limits or privileges (see the host's Program.cs for its modes).
/// </summary>
internal static class HostProcess
{
    /// <summary>The host's entry assembly.</summary>
    public static string Assembly
    {
        get
        {
            string host = Path.Combine(SharedData.RepositoryRoot, "test", "PromptTuning.PredictionHost", "bin", "Release", "net10.0", "PromptTuning.PredictionHost.dll");
            Assert.IsTrue(File.Exists(host), $"the prediction host is built with the tests: {host}");
            return host;
        }
    }

    /// <summary>Starts <c>dotnet host args</c> (or <paramref name="wrapper"/> followed by that) with redirected output, in
    /// <paramref name="workingDirectory"/> when given (else this process's).</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyList<string>? wrapper = null, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        string[] command = [.. wrapper ?? [], "dotnet", Assembly, .. args];
        var start = new ProcessStartInfo(command[0], command[1..]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return Process.Start(start)!;
    }

    /// <summary>Runs the host to the end (within <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output, string Error) Run(IEnumerable<string> args, IReadOnlyList<string>? wrapper = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        using var process = Start(args, wrapper, environment, workingDirectory);
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the host did not finish: {string.Join(' ', args)}");
        }
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null when it is not installed.</summary>
    public static string? FindTool(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
}
