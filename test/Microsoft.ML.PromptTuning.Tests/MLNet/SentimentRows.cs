namespace Microsoft.ML.PromptTuning.Tests.MLNet;

/// <summary>Shared rows of the estimator tests: alternating positive and negative film reviews with a text label.</summary>
internal static class SentimentRows
{
    /// <summary><paramref name="rows"/> reviews, even rows positive, in columns Text and Label.</summary>
    public static IDataView Data(MLContext context, int rows) => context.Data.LoadFromEnumerable(
        Enumerable.Range(0, rows).Select(i => new LabelledText
        {
            Text = i % 2 == 0 ? $"a wonderful and moving film, number {i}" : $"a dull and tiring film, number {i}",
            Label = i % 2 == 0 ? "positive" : "negative",
        }).ToList());
}

/// <summary>A row with a text and a text label.</summary>
internal sealed class LabelledText
{
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
}

/// <summary>A row type with no columns (for shape-only custom mappings).</summary>
internal sealed class NoColumns
{
}

/// <summary>Compares floats within <paramref name="epsilon"/> for <c>CollectionAssert</c>.</summary>
internal sealed class Tolerance(float epsilon) : System.Collections.IComparer
{
    public int Compare(object? x, object? y) => Math.Abs((float)x! - (float)y!) <= epsilon ? 0 : 1;
}
