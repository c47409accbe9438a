using System.Globalization;
using System.Reflection;

namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>One tunable property of a search-space class: its candidate values for a grid and its sampling rule.</summary>
public sealed class SearchDimension
{
    private readonly RangeAttribute? _range;
    private readonly IReadOnlyList<object?> _choices;

    private SearchDimension(PropertyInfo property, RangeAttribute? range, IReadOnlyList<object?> choices)
    {
        Property = property;
        _range = range;
        _choices = choices.Select(c => Convert(c, property)).ToList();
        if (range is null && _choices.Count == 0)
            throw new ArgumentException($"Search dimension '{property.Name}' has no candidates.");
    }

    public string Name => Property.Name;

    internal PropertyInfo Property { get; }

    /// <summary>The value untuned trials and the first grid point use: the range's init or the first candidate.</summary>
    public object? Default => _range is null ? _choices[0] : Convert(_range.Init, Property);

    internal static SearchDimension FromRange(PropertyInfo property, RangeAttribute range) => new(property, range, []);

    internal static SearchDimension FromChoices(PropertyInfo property, IReadOnlyList<object?> candidates) => new(property, null, candidates);

    /// <summary>A uniform draw: over the candidates, or over the range (in log space when <see cref="RangeAttribute.LogBase"/>).</summary>
    public object? Sample(Random random)
    {
        if (_range is null)
            return _choices[random.Next(_choices.Count)];
        double u = random.NextDouble();
        double value = _range.LogBase
            ? Math.Exp(Math.Log(_range.Min) + u * (Math.Log(_range.Max) - Math.Log(_range.Min)))
            : _range.Min + u * (_range.Max - _range.Min);
        return Convert(value, Property);
    }

    /// <summary>Grid values: every candidate, or <paramref name="pointsPerRange"/> evenly spaced points from min to max (ends included).</summary>
    public IReadOnlyList<object?> GridValues(int pointsPerRange)
    {
        if (_range is null)
            return _choices;
        ArgumentOutOfRangeException.ThrowIfLessThan(pointsPerRange, 2);
        var points = Enumerable.Range(0, pointsPerRange).Select(i =>
        {
            double t = (double)i / (pointsPerRange - 1);
            return _range.LogBase ? Math.Exp(Math.Log(_range.Min) + t * (Math.Log(_range.Max) - Math.Log(_range.Min))) : _range.Min + t * (_range.Max - _range.Min);
        });
        return points.Select(p => Convert(p, Property)).Distinct().ToList();
    }

    /// <summary>Converts a candidate to the property's type (enum names, integer rounding), naming the property when it cannot.</summary>
    private static object? Convert(object? value, PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        try
        {
            return value switch
            {
                null => property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null
                    ? throw new ArgumentException("null is not a value of a non-nullable type") : null,
                _ when type.IsEnum => value is string name ? Enum.Parse(type, name) : Enum.ToObject(type, value),
                double d when type == typeof(int) => (int)Math.Round(d),
                _ => System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or FormatException or OverflowException)
        {
            throw new ArgumentException($"Search dimension '{property.Name}' ({type.Name}) cannot take the value '{value}': {e.Message}", e);
        }
    }
}
