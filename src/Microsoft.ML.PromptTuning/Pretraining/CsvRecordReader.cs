using System.Text;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Splits RFC 4180 CSV into records: comma-separated fields, a field in double quotes may hold commas, line breaks and
/// doubled quotes (<c>""</c>); a quote inside an unquoted field is kept as text, as Python's <c>csv</c> module does.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly Utf8LineReader _lines;
    private readonly string _path;
    private readonly StringBuilder _field = new();
    private bool _quoted;
    private bool _fieldWasQuoted;

    /// <summary>Reads records from <paramref name="lines"/>, naming <paramref name="path"/> in errors.</summary>
    public CsvRecordReader(Utf8LineReader lines, string path)
    {
        _lines = lines;
        _path = path;
    }

    /// <summary>The line on which the record last returned starts.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record's fields into <paramref name="fields"/>; false at the end of the file. Empty lines
    /// between records are skipped.</summary>
    /// <exception cref="CorpusFormatException">A quoted field is never closed or is followed by text before the next comma.</exception>
    public bool TryReadRecord(List<string> fields)
    {
        fields.Clear();
        string? line;
        do
        {
            if (!_lines.TryReadLine(out line))
                return false;
        }
        while (line.Length == 0);
        RecordLine = _lines.LineNumber;
        _field.Clear();
        _quoted = _fieldWasQuoted = false;
        ScanLine(line, fields);
        while (_quoted)
        {
            // A quoted field continues on the next line; the line break is part of its value.
            if (!_lines.TryReadLine(out line))
                throw new CorpusFormatException(_path, RecordLine, $"the quoted field {fields.Count + 1} starting on this line is never closed.");
            _field.Append('\n');
            ScanLine(line, fields);
        }
        fields.Add(_field.ToString());
        return true;
    }

    /// <summary>Consumes one physical line, completing fields at commas outside quotes.</summary>
    private void ScanLine(string line, List<string> fields)
    {
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (_quoted)
            {
                if (c != '"')
                {
                    _field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    _field.Append('"');
                    i++;
                }
                else
                {
                    _quoted = false;
                    if (i + 1 < line.Length && line[i + 1] != ',')
                        throw new CorpusFormatException(_path, _lines.LineNumber,
                            $"unexpected '{line[i + 1]}' after the closing quote of field {fields.Count + 1} (expected a comma or the line end).");
                }
            }
            else if (c == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
                _fieldWasQuoted = false;
            }
            else if (c == '"' && _field.Length == 0 && !_fieldWasQuoted)
            {
                _quoted = _fieldWasQuoted = true;
            }
            else
            {
                _field.Append(c);
            }
        }
    }
}
