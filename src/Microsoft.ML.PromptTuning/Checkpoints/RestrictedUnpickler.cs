namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>
/// Decodes a pickle (protocols 2–5) into plain values — str, int, float, bool, None, tuple, list, dict — executing nothing.
/// </summary>
/// <remarks>
/// Only the opcodes a saved state dict uses are implemented; any other opcode is refused by name. Globals and calls go
/// through an <see cref="IPickleResolver"/> allow-list. The stack, the memo and the total number of container items are
/// bounded, and every length is checked against the bytes that remain, so a hostile pickle cannot exhaust memory or run code.
/// </remarks>
internal sealed class RestrictedUnpickler
{
    /// <summary>The most values the stack may hold at once.</summary>
    public const int MaxStackDepth = 1_000_000;

    /// <summary>The most entries the memo may hold.</summary>
    public const int MaxMemoEntries = 1_000_000;

    /// <summary>The most items all tuples, lists and dicts may hold together.</summary>
    public const long MaxContainerItems = 10_000_000;

    /// <summary>The longest module or name a <c>GLOBAL</c> opcode may carry.</summary>
    public const int MaxGlobalNameLength = 256;

    private readonly string _filePath;
    private readonly IPickleResolver _resolver;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<uint, object?> _memo = [];
    private long _containerItems;

    /// <summary>Creates an unpickler whose errors name <paramref name="filePath"/> and whose globals <paramref name="resolver"/> admits.</summary>
    public RestrictedUnpickler(string filePath, IPickleResolver resolver)
    {
        _filePath = filePath;
        _resolver = resolver;
    }

    /// <summary>Decodes <paramref name="pickle"/> up to its <c>STOP</c> opcode and returns the top value.</summary>
    /// <exception cref="CheckpointFormatException">The pickle is malformed, truncated, too large, or uses a refused opcode or global.</exception>
    public object? Load(byte[] pickle)
    {
        var cursor = new PickleCursor(pickle);
        int opcodePosition = 0;
        byte opcode = 0;
        try
        {
            while (true)
            {
                opcodePosition = cursor.Position;
                if (cursor.Remaining == 0)
                    throw new PickleException("the pickle ends without a STOP opcode (truncated).");
                opcode = cursor.ReadByte();
                if (opcode == (byte)PickleOpcode.STOP)
                    return Pop();
                Execute((PickleOpcode)opcode, cursor);
            }
        }
        catch (PickleException exception)
        {
            throw new CheckpointFormatException(_filePath,
                $"pickle opcode {DescribeOpcode(opcode)} at byte {opcodePosition}: {exception.Message}", exception);
        }
    }

    private void Execute(PickleOpcode opcode, PickleCursor cursor)
    {
        switch (opcode)
        {
            case PickleOpcode.PROTO:
                byte protocol = cursor.ReadByte();
                if (protocol is < 2 or > 5)
                    throw new PickleException($"pickle protocol {protocol} is not supported (2 to 5 are).");
                break;
            case PickleOpcode.FRAME:
                // Frames only group opcodes for buffered reading; the whole pickle is in memory, so check and continue.
                ulong frameLength = cursor.ReadUInt64();
                if (frameLength > (ulong)cursor.Remaining)
                    throw new PickleException($"a {frameLength}-byte frame runs past the end of the pickle.");
                break;
            case PickleOpcode.EMPTY_DICT: Push(new OrderedDictionary<object, object?>()); break;
            case PickleOpcode.EMPTY_LIST: Push(new List<object?>()); break;
            case PickleOpcode.EMPTY_TUPLE: Push(new PickleTuple([])); break;
            case PickleOpcode.MARK:
                if (_marks.Count >= MaxStackDepth)
                    throw new PickleException($"more than {MaxStackDepth} MARKs are open.");
                _marks.Push(_stack.Count);
                break;
            case PickleOpcode.TUPLE: Push(NewTuple(PopToMark())); break;
            case PickleOpcode.TUPLE1: Push(NewTuple(PopMany(1))); break;
            case PickleOpcode.TUPLE2: Push(NewTuple(PopMany(2))); break;
            case PickleOpcode.TUPLE3: Push(NewTuple(PopMany(3))); break;
            case PickleOpcode.SHORT_BINUNICODE: Push(cursor.ReadUtf8(cursor.ReadByte())); break;
            case PickleOpcode.BINUNICODE: Push(cursor.ReadUtf8(cursor.ReadUInt32())); break;
            case PickleOpcode.BINUNICODE8: Push(cursor.ReadUtf8(cursor.ReadUInt64())); break;
            case PickleOpcode.BININT: Push((long)cursor.ReadInt32()); break;
            case PickleOpcode.BININT1: Push((long)cursor.ReadByte()); break;
            case PickleOpcode.BININT2: Push((long)cursor.ReadUInt16()); break;
            case PickleOpcode.LONG1: Push(cursor.ReadSignedLittleEndian(cursor.ReadByte())); break;
            case PickleOpcode.BINFLOAT: Push(cursor.ReadBigEndianDouble()); break;
            case PickleOpcode.NONE: Push(null); break;
            case PickleOpcode.NEWTRUE: Push(true); break;
            case PickleOpcode.NEWFALSE: Push(false); break;
            case PickleOpcode.BINPUT: Memoize(cursor.ReadByte()); break;
            case PickleOpcode.LONG_BINPUT: Memoize(cursor.ReadUInt32()); break;
            case PickleOpcode.MEMOIZE: Memoize((uint)_memo.Count); break;
            case PickleOpcode.BINGET: Push(Recall(cursor.ReadByte())); break;
            case PickleOpcode.LONG_BINGET: Push(Recall(cursor.ReadUInt32())); break;
            case PickleOpcode.SETITEM: SetItems(PopMany(2)); break;
            case PickleOpcode.SETITEMS: SetItems(PopToMark()); break;
            case PickleOpcode.APPEND: Append(PopMany(1)); break;
            case PickleOpcode.APPENDS: Append(PopToMark()); break;
            case PickleOpcode.GLOBAL:
                string module = cursor.ReadLine(MaxGlobalNameLength);
                Push(_resolver.ResolveGlobal(module, cursor.ReadLine(MaxGlobalNameLength)));
                break;
            case PickleOpcode.STACK_GLOBAL:
                object?[] parts = PopMany(2);
                if (parts[0] is not string stackModule || parts[1] is not string stackName)
                    throw new PickleException($"STACK_GLOBAL needs two strings, got {PickleValues.Describe(parts[0])} and {PickleValues.Describe(parts[1])}.");
                Push(_resolver.ResolveGlobal(stackModule, stackName));
                break;
            case PickleOpcode.REDUCE: Reduce(); break;
            case PickleOpcode.BUILD: Build(); break;
            case PickleOpcode.BINPERSID: Push(_resolver.LoadPersistent(Pop())); break;
            default:
                throw new PickleException(Enum.IsDefined(opcode)
                    ? "this opcode is not allowed in a state-dict pickle."
                    : "this is not a pickle opcode.");
        }
    }

    private void Reduce()
    {
        object?[] callAndArguments = PopMany(2);
        if (callAndArguments[0] is not PickleGlobal callable)
            throw new PickleException($"REDUCE can only call an allow-listed global, not a {PickleValues.Describe(callAndArguments[0])}.");
        if (callAndArguments[1] is not PickleTuple arguments)
            throw new PickleException($"REDUCE arguments for {callable} are a {PickleValues.Describe(callAndArguments[1])}, not a tuple.");
        Push(_resolver.Call(callable, arguments.Items));
    }

    private void Build()
    {
        object? state = Pop();
        object? target = Peek();
        // A state dict's OrderedDict may carry attributes (e.g. _metadata with module versions); they are plain data and unused.
        if (target is not OrderedDictionary<object, object?>)
            throw new PickleException($"BUILD may only set attributes of a dict, not of a {PickleValues.Describe(target)}.");
        if (state is not (OrderedDictionary<object, object?> or PickleTuple or null))
            throw new PickleException($"BUILD state is a {PickleValues.Describe(state)}, not a dict.");
    }

    private void SetItems(object?[] keysAndValues)
    {
        if (keysAndValues.Length % 2 != 0)
            throw new PickleException($"SETITEMS needs key/value pairs, got {keysAndValues.Length} values.");
        if (Peek() is not OrderedDictionary<object, object?> dictionary)
            throw new PickleException($"SETITEM(S) targets a {PickleValues.Describe(Peek())}, not a dict.");
        CountItems(keysAndValues.Length / 2);
        for (int i = 0; i < keysAndValues.Length; i += 2)
        {
            if (keysAndValues[i] is not (string or long or bool or double))
                throw new PickleException($"a dict key is a {PickleValues.Describe(keysAndValues[i])}; only str, int, float and bool keys are supported.");
            dictionary[keysAndValues[i]!] = keysAndValues[i + 1];
        }
    }

    private void Append(object?[] items)
    {
        if (Peek() is not List<object?> list)
            throw new PickleException($"APPEND(S) targets a {PickleValues.Describe(Peek())}, not a list.");
        CountItems(items.Length);
        list.AddRange(items);
    }

    private PickleTuple NewTuple(object?[] items)
    {
        CountItems(items.Length);
        return new PickleTuple(items);
    }

    private void Memoize(uint index)
    {
        if (_stack.Count == 0)
            throw new PickleException("nothing on the stack to memoize.");
        if (!_memo.ContainsKey(index) && _memo.Count >= MaxMemoEntries)
            throw new PickleException($"the memo exceeds {MaxMemoEntries} entries.");
        _memo[index] = _stack[^1];
    }

    private object? Recall(uint index) =>
        _memo.TryGetValue(index, out object? value) ? value : throw new PickleException($"memo entry {index} was never stored.");

    private void CountItems(long count)
    {
        _containerItems += count;
        if (_containerItems > MaxContainerItems)
            throw new PickleException($"the pickle's containers exceed {MaxContainerItems} items in total.");
    }

    private void Push(object? value)
    {
        if (_stack.Count >= MaxStackDepth)
            throw new PickleException($"the stack exceeds {MaxStackDepth} values.");
        _stack.Add(value);
    }

    private object? Peek()
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        return _stack.Count > floor ? _stack[^1] : throw new PickleException("the stack is empty.");
    }

    private object? Pop() => PopMany(1)[0];

    private object?[] PopMany(int count)
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count - floor < count)
            throw new PickleException($"needs {count} value(s) but the stack holds {_stack.Count - floor} above the last MARK.");
        return TakeFrom(_stack.Count - count);
    }

    private object?[] PopToMark()
    {
        if (_marks.Count == 0)
            throw new PickleException("there is no MARK on the stack.");
        return TakeFrom(_marks.Pop());
    }

    private object?[] TakeFrom(int start)
    {
        object?[] items = _stack.GetRange(start, _stack.Count - start).ToArray();
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private static string DescribeOpcode(byte opcode)
    {
        string name = Enum.IsDefined((PickleOpcode)opcode) ? ((PickleOpcode)opcode).ToString() : "unknown";
        return $"{name} (0x{opcode:X2})";
    }
}
