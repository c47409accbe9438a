using System.Globalization;
using System.Reflection;

namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>
/// The search space of a parameter class <typeparamref name="T"/>: one <see cref="SearchDimension"/> per property marked
/// <see cref="RangeAttribute"/> or <see cref="ChoiceAttribute"/>. Trials are new instances of <typeparamref name="T"/>
/// with those properties set (the rest keep their defaults).
/// </summary>
public sealed class SearchSpace<T> where T : new()
{
    private readonly IReadOnlyList<SearchDimension> _dimensions;

    public SearchSpace() : this(typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .Select(p => p.GetCustomAttribute<RangeAttribute>() is { } range ? SearchDimension.FromRange(p, range)
            : p.GetCustomAttribute<ChoiceAttribute>() is { } choice ? SearchDimension.FromChoices(p, choice.Candidates) : null)
        .OfType<SearchDimension>().ToList())
    {
    }

    private SearchSpace(IReadOnlyList<SearchDimension> dimensions) => _dimensions = dimensions;

    public IReadOnlyList<SearchDimension> Dimensions => _dimensions;

    /// <summary>A copy whose dimension <paramref name="property"/> takes exactly <paramref name="candidates"/> (e.g. the source prompts at hand).</summary>
    public SearchSpace<T> WithChoices(string property, params object?[] candidates)
    {
        var target = typeof(T).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"{typeof(T).Name} has no property '{property}'; tunable: {string.Join(", ", _dimensions.Select(d => d.Name))}.", nameof(property));
        var replaced = SearchDimension.FromChoices(target, candidates);
        return new SearchSpace<T>(_dimensions.Where(d => d.Name != property).Append(replaced).ToList());
    }

    /// <summary>Every dimension at its default.</summary>
    public T Default() => Create(_dimensions.Select(d => d.Default));

    /// <summary>A random point (each dimension drawn independently).</summary>
    public T Sample(Random random) => Create(_dimensions.Select(d => d.Sample(random)));

    /// <summary>The Cartesian product of every dimension's grid values, in a fixed order.</summary>
    public IEnumerable<T> Grid(int pointsPerRange = 3)
    {
        IEnumerable<object?[]> points = [[]];
        foreach (var dimension in _dimensions)
        {
            var values = dimension.GridValues(pointsPerRange);
            points = points.SelectMany(p => values.Select(v => p.Append(v).ToArray()));
        }
        return points.Select(Create);
    }

    /// <summary>The tuned values of <paramref name="point"/>, by property name, formatted invariantly (for result tables).</summary>
    public IReadOnlyDictionary<string, string> Describe(T point) =>
        _dimensions.ToDictionary(d => d.Name, d => d.Property.GetValue(point) switch
        {
            null => "-",
            double x => x.ToString("G4", CultureInfo.InvariantCulture),
            var x => string.Format(CultureInfo.InvariantCulture, "{0}", x),
        });

    private T Create(IEnumerable<object?> values)
    {
        var point = new T();
        foreach (var (dimension, value) in _dimensions.Zip(values))
            dimension.Property.SetValue(point, value);
        return point;
    }
}
