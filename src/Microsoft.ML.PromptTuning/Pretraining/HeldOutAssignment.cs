namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Decides train or held-out from a document's text hash and the seed alone, so the split is the same whatever order the
/// files are read in; then tops up parts that drew fewer held-out documents than the minimum.
/// </summary>
internal static class HeldOutAssignment
{
    /// <summary>A uniform score in [0, 1) for the document with hash <paramref name="documentHash"/> under <paramref name="seed"/>.</summary>
    public static double Score(ulong documentHash, int seed) =>
        StableHash.ToUnitInterval(StableHash.Mix(documentHash ^ StableHash.Mix(0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed)));

    /// <summary>Whether the document is held out: its score falls below <paramref name="fraction"/>.</summary>
    public static bool IsHeldOut(ulong documentHash, int seed, double fraction) => Score(documentHash, seed) < fraction;

    /// <summary>
    /// For each part with fewer than <paramref name="minimum"/> held-out documents, moves its training documents of lowest
    /// score (ties by hash) to held-out until it has <paramref name="minimum"/>, keeping at least one training document.
    /// </summary>
    public static void EnsureMinimumPerPart(IReadOnlyList<SourcePlan> plans, int minimum, int seed)
    {
        if (minimum <= 0)
            return;
        foreach (IGrouping<string, SourcePlan> part in plans.GroupBy(plan => plan.Source.Part, StringComparer.Ordinal))
        {
            var train = new List<(double Score, ulong Hash, SourcePlan Plan, int Index)>();
            int heldOut = 0;
            foreach (SourcePlan plan in part)
            {
                for (int i = 0; i < plan.Documents.Count; i++)
                {
                    PlannedDocument document = plan.Documents[i];
                    if (document.Fate == DocumentFate.HeldOut)
                        heldOut++;
                    else if (document.Fate == DocumentFate.Train)
                        train.Add((Score(document.Hash, seed), document.Hash, plan, i));
                }
            }
            int missing = Math.Min(minimum - heldOut, train.Count - 1);
            if (missing <= 0)
                continue;
            foreach (var (_, _, plan, index) in train.OrderBy(d => d.Score).ThenBy(d => d.Hash).Take(missing))
            {
                PlannedDocument moved = plan.Documents[index];
                moved.Fate = DocumentFate.HeldOut;
                plan.Documents[index] = moved;
            }
        }
    }
}
