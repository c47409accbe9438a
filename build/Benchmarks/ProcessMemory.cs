namespace Microsoft.ML.PromptTuning.Benchmarks;

/// <summary>Resident memory of this process (native TorchSharp allocations included), from /proc/self/status.</summary>
internal static class ProcessMemory
{
    public static double CurrentMiB => Read("VmRSS:");

    public static double PeakMiB => Read("VmHWM:");

    private static double Read(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) / 1024.0;
        return double.NaN;
    }
}
