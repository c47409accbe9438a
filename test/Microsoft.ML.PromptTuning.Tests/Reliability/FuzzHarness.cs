using System.Diagnostics;

namespace Microsoft.ML.PromptTuning.Tests.Reliability;

/// <summary>One fuzz case: what was done to the input (for the failure message) and the parse to run on it.</summary>
internal sealed record FuzzCase(string Description, Action Parse);

/// <summary>What a fuzz run did: cases run, how many inputs the parser accepted, and the rejections by exception type.</summary>
internal sealed record FuzzReport(string Parser, int BaseSeed, int Cases, int Accepted, IReadOnlyDictionary<string, int> Rejected, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{Parser}: {Cases} cases in {Elapsed.TotalSeconds:F1} s (base seed {BaseSeed}): {Accepted} accepted, " +
        string.Join(", ", Rejected.Select(r => $"{r.Value} × {r.Key}"));
}

/// <summary>
/// Runs seeded fuzz cases on a worker thread under a watchdog, for a fixed number of cases or a wall-clock budget,
/// whichever ends first. Each case must finish within <see cref="CaseTimeout"/> (no hang) and may only throw the
/// exception types the parser documents; the first case that does otherwise fails the test with its seed.
/// </summary>
/// <remarks>
/// Environment overrides for longer runs or reproduction: <c>PROMPT_TRANSFER_FUZZ_SEED</c> (base seed),
/// <c>PROMPT_TRANSFER_FUZZ_CASES</c>, <c>PROMPT_TRANSFER_FUZZ_SECONDS</c>, and <c>PROMPT_TRANSFER_FUZZ_CASE_SEED</c> (run only
/// the case with that seed, as printed by a failure).
/// </remarks>
internal static class FuzzHarness
{
    /// <summary>The longest one case may take; generous, since the test machine may be busy with other tests.</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs up to <paramref name="cases"/> cases within <paramref name="budget"/>: <paramref name="makeCase"/> builds case
    /// <c>seed</c> and <paramref name="isDocumented"/> says whether an exception a parse threw is one the parser documents.
    /// </summary>
    public static FuzzReport Run(string parser, int defaultSeed, int cases, TimeSpan budget, Func<int, FuzzCase> makeCase, Func<Exception, bool> isDocumented)
    {
        int baseSeed = EnvironmentInt("PROMPT_TRANSFER_FUZZ_SEED") ?? defaultSeed;
        cases = EnvironmentInt("PROMPT_TRANSFER_FUZZ_CASES") ?? cases;
        budget = EnvironmentInt("PROMPT_TRANSFER_FUZZ_SECONDS") is int seconds ? TimeSpan.FromSeconds(seconds) : budget;
        int? onlySeed = EnvironmentInt("PROMPT_TRANSFER_FUZZ_CASE_SEED");

        var rejected = new Dictionary<string, int>();
        int accepted = 0, done = 0;
        string? failure = null;
        // The case in progress and when it started, read by the watchdog below.
        CaseInProgress? current = null;
        var clock = Stopwatch.StartNew();
        var worker = new Thread(() =>
        {
            for (int i = 0; i < cases && clock.Elapsed < budget; i++)
            {
                int seed = onlySeed ?? unchecked(baseSeed + i * 104_729);
                FuzzCase fuzzCase = makeCase(seed);
                Volatile.Write(ref current, new CaseInProgress(seed, fuzzCase.Description, clock.Elapsed));
                try
                {
                    fuzzCase.Parse();
                    accepted++;
                }
                catch (Exception exception) when (isDocumented(exception))
                {
                    string type = exception.GetType().Name;
                    rejected[type] = rejected.GetValueOrDefault(type) + 1;
                }
                catch (Exception exception)
                {
                    failure = $"{parser}: case seed {seed} ({fuzzCase.Description}) threw an undocumented {exception.GetType().FullName}: {exception}";
                    return;
                }
                finally
                {
                    done++;
                }
                if (onlySeed is not null)
                    return;
            }
        }, maxStackSize: 16 << 20) { IsBackground = true, Name = "fuzz " + parser };
        worker.Start();
        while (!worker.Join(50))
        {
            if (Volatile.Read(ref current) is { } running && clock.Elapsed - running.Started > CaseTimeout)
                Assert.Fail($"{parser}: case seed {running.Seed} ({running.Description}) did not finish within {CaseTimeout.TotalSeconds} s; the parser hangs.");
        }
        if (failure is not null)
            Assert.Fail(failure);
        var report = new FuzzReport(parser, baseSeed, done, accepted, rejected, clock.Elapsed);
        Console.WriteLine(report);
        return report;
    }

    private sealed record CaseInProgress(int Seed, string Description, TimeSpan Started);

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : null;
}
