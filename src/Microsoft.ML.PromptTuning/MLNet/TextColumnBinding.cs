using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Binds a template's placeholders to input text columns: by name when every placeholder is one of the columns
/// (<c>{sentence}</c> ← column <c>sentence</c>), otherwise by position (<c>{text_a}</c> ← the first column, <c>{text_b}</c> ← the second).
/// </summary>
public sealed class TextColumnBinding
{
    private readonly (string Placeholder, int Column)[] _bindings;

    public TextColumnBinding(PromptTemplate template, IReadOnlyList<string> textColumns)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(textColumns);
        if (textColumns.Count == 0)
            throw new ArgumentException("At least one text column is needed.", nameof(textColumns));
        Columns = textColumns.ToArray();
        var placeholders = template.Placeholders;
        bool byName = placeholders.All(p => textColumns.Contains(p));
        _bindings = placeholders.Select((p, i) => (p, byName ? Columns.ToList().IndexOf(p) : i)).ToArray();
        if (!byName && textColumns.Count > placeholders.Count)
            throw new ArgumentException($"{textColumns.Count} text columns ({string.Join(", ", textColumns)}) but the template '{template}' has only {placeholders.Count} placeholder(s).", nameof(textColumns));
    }

    /// <summary>The input text columns, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The index in <see cref="Columns"/> of the column bound to <paramref name="placeholder"/>, or -1.</summary>
    public int ColumnIndexOf(string placeholder)
    {
        foreach (var (name, column) in _bindings)
            if (name == placeholder)
                return column;
        return -1;
    }

    /// <summary>The row the template encoder reads: placeholder → text (null when the column is not bound).</summary>
    public IReadOnlyDictionary<string, string?> Row(IReadOnlyList<string?> texts)
    {
        var row = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (placeholder, column) in _bindings)
            row[placeholder] = column < texts.Count ? texts[column] : null;
        return row;
    }
}
