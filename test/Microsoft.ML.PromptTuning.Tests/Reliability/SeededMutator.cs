using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.PromptTuning.Tests.Reliability;

/// <summary>
/// Deterministic corruptions of a valid file, as a fuzzer makes them: bit flips, byte overwrites, truncation, splices,
/// insertions and deletions, integers written over length fields, and numbers in text replaced by extreme ones. The same
/// seed always gives the same bytes, so a failing case reproduces from the seed alone.
/// </summary>
internal sealed class SeededMutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7f, 0x80, 0xff, (byte)'{', (byte)'}', (byte)'"', (byte)',', (byte)'\n', (byte)' ', (byte)'.'];

    private static readonly ulong[] InterestingIntegers =
        [0, 1, 2, 7, 8, 0x7f, 0xff, 0x100, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x7fffffffffffffff, ulong.MaxValue, 100_000_001];

    private static readonly string[] InterestingNumbers =
        ["0", "-1", "1", "2147483648", "4294967296", "18446744073709551615", "99999999999999999999999", "1e309", "-0", "1.5", "3", "65535"];

    private readonly Random _random;
    private readonly StringBuilder _description = new();

    /// <param name="seed">Fixes every choice; print it with a failure.</param>
    public SeededMutator(int seed) => _random = new Random(seed);

    /// <summary>What the last <see cref="Mutate"/> did, e.g. <c>flip bit 3 of byte 17; truncate to 120</c>.</summary>
    public string Description => _description.ToString();

    /// <summary>
    /// A copy of <paramref name="original"/> with one to three mutations. With a <paramref name="focus"/> range, four in five
    /// mutations land in it (a header, where the parser's decisions are made). <paramref name="lengthFields"/> are offsets
    /// of length or count fields worth overwriting with extreme integers.
    /// </summary>
    public byte[] Mutate(byte[] original, (int Start, int Length)? focus = null, IReadOnlyList<int>? lengthFields = null)
    {
        _description.Clear();
        var bytes = new List<byte>(original);
        int count = 1 + _random.Next(3);
        for (int i = 0; i < count && bytes.Count > 0; i++)
        {
            if (_description.Length > 0)
                _description.Append("; ");
            int position = Position(bytes.Count, focus);
            switch (_random.Next(9))
            {
                case 0:
                case 1:
                    int bit = _random.Next(8);
                    bytes[position] ^= (byte)(1 << bit);
                    _description.Append($"flip bit {bit} of byte {position}");
                    break;
                case 2:
                    byte value = _random.Next(2) == 0 ? InterestingBytes[_random.Next(InterestingBytes.Length)] : (byte)_random.Next(256);
                    bytes[position] = value;
                    _description.Append($"set byte {position} to 0x{value:x2}");
                    break;
                case 3:
                    bytes.RemoveRange(position, bytes.Count - position);
                    _description.Append($"truncate to {position}");
                    break;
                case 4:
                    Splice(bytes, position);
                    break;
                case 5:
                    int removed = Math.Min(bytes.Count - position, 1 + _random.Next(16));
                    bytes.RemoveRange(position, removed);
                    _description.Append($"delete {removed} at {position}");
                    break;
                case 6:
                    var inserted = new byte[1 + _random.Next(16)];
                    _random.NextBytes(inserted);
                    bytes.InsertRange(position, inserted);
                    _description.Append($"insert {inserted.Length} random at {position}");
                    break;
                case 7:
                    OverwriteInteger(bytes, lengthFields is { Count: > 0 } && _random.Next(3) > 0 ? lengthFields[_random.Next(lengthFields.Count)] : position);
                    break;
                default:
                    ReplaceNumber(bytes, position);
                    break;
            }
        }
        return bytes.ToArray();
    }

    private int Position(int length, (int Start, int Length)? focus) =>
        focus is var (start, span) && span > 0 && start < length && _random.Next(5) > 0
            ? start + _random.Next(Math.Min(span, length - start))
            : _random.Next(length);

    /// <summary>A number in [0, <paramref name="exclusiveMax"/>) from this mutator's generator (to pick among inputs or regions).</summary>
    public int Next(int exclusiveMax) => _random.Next(exclusiveMax);

    // Copies a chunk of the file over another place (or inserts it), as a fuzzer's crossover does within one input.
    private void Splice(List<byte> bytes, int position)
    {
        int source = _random.Next(bytes.Count);
        int length = Math.Min(bytes.Count - source, 1 + _random.Next(64));
        byte[] chunk = bytes.GetRange(source, length).ToArray();
        if (_random.Next(2) == 0)
        {
            bytes.InsertRange(position, chunk);
            _description.Append($"insert copy of [{source}, +{length}) at {position}");
        }
        else
        {
            int overwrite = Math.Min(length, bytes.Count - position);
            for (int i = 0; i < overwrite; i++)
                bytes[position + i] = chunk[i];
            _description.Append($"overwrite [{position}, +{overwrite}) with copy of [{source}, ..)");
        }
    }

    private void OverwriteInteger(List<byte> bytes, int position)
    {
        ulong value = InterestingIntegers[_random.Next(InterestingIntegers.Length)];
        if (_random.Next(4) == 0)
            value = unchecked(value + (ulong)(_random.Next(3) - 1));
        int width = new[] { 1, 2, 4, 8 }[_random.Next(4)];
        bool bigEndian = _random.Next(4) == 0;
        var encoded = new byte[8];
        if (bigEndian)
            BinaryPrimitives.WriteUInt64BigEndian(encoded, value);
        else
            BinaryPrimitives.WriteUInt64LittleEndian(encoded, value);
        byte[] field = bigEndian ? encoded[(8 - width)..] : encoded[..width];
        for (int i = 0; i < width && position + i < bytes.Count; i++)
            bytes[position + i] = field[i];
        _description.Append($"write {width}-byte {(bigEndian ? "big" : "little")}-endian {value} at {position}");
    }

    // Text formats (JSON headers, vocabularies) keep their numbers as digits: replace the run of digits at or after the position.
    private void ReplaceNumber(List<byte> bytes, int position)
    {
        int start = position;
        while (start < bytes.Count && !char.IsAsciiDigit((char)bytes[start]))
            start++;
        if (start == bytes.Count)
        {
            _description.Append("no number to replace");
            return;
        }
        int end = start;
        while (end < bytes.Count && char.IsAsciiDigit((char)bytes[end]))
            end++;
        string number = InterestingNumbers[_random.Next(InterestingNumbers.Length)];
        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, Encoding.ASCII.GetBytes(number));
        _description.Append($"replace number at {start} with {number}");
    }
}
