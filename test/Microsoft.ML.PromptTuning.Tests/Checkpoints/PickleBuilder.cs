using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>Writes pickle opcodes byte by byte, so tests can craft exactly the (hostile) streams they need.</summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> _bytes = [];

    public PickleBuilder Proto(byte version = 2) => Op(0x80).Raw(version);

    public PickleBuilder Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    public PickleBuilder StackGlobal() => Op(0x93);

    public PickleBuilder Unicode(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        return Op('X').UInt32((uint)utf8.Length).Raw(utf8);
    }

    public PickleBuilder ShortUnicode(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        return Op(0x8c).Raw((byte)utf8.Length).Raw(utf8);
    }

    public PickleBuilder Int(long value) => value switch
    {
        >= 0 and <= byte.MaxValue => Op('K').Raw((byte)value),
        >= 0 and <= ushort.MaxValue => Op('M').Raw((byte)value, (byte)(value >> 8)),
        >= int.MinValue and <= int.MaxValue => Op('J').UInt32((uint)(int)value),
        _ => Long1(value),
    };

    public PickleBuilder Long1(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return Op(0x8a).Raw(8).Raw(bytes);
    }

    public PickleBuilder Float(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return Op('G').Raw(bytes);
    }

    public PickleBuilder IntTuple(params long[] values)
    {
        Mark();
        foreach (long value in values)
            Int(value);
        return Tuple();
    }

    public PickleBuilder Mark() => Op('(');
    public PickleBuilder Tuple() => Op('t');
    public PickleBuilder Tuple1() => Op(0x85);
    public PickleBuilder Tuple2() => Op(0x86);
    public PickleBuilder EmptyTuple() => Op(')');
    public PickleBuilder EmptyDict() => Op('}');
    public PickleBuilder EmptyList() => Op(']');
    public PickleBuilder None() => Op('N');
    public PickleBuilder True() => Op(0x88);
    public PickleBuilder False() => Op(0x89);
    public PickleBuilder Reduce() => Op('R');
    public PickleBuilder Build() => Op('b');
    public PickleBuilder PersistentId() => Op('Q');
    public PickleBuilder SetItem() => Op('s');
    public PickleBuilder SetItems() => Op('u');
    public PickleBuilder Append() => Op('a');
    public PickleBuilder Appends() => Op('e');
    public PickleBuilder Put(byte index) => Op('q').Raw(index);
    public PickleBuilder Get(byte index) => Op('h').Raw(index);
    public PickleBuilder Memoize() => Op(0x94);
    public PickleBuilder Stop() => Op('.');

    /// <summary>An empty <c>collections.OrderedDict()</c>, as torch pickles backward hooks and state dicts.</summary>
    public PickleBuilder OrderedDict() => Global("collections", "OrderedDict").EmptyTuple().Reduce();

    /// <summary><c>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())</c> with a persistent-id storage.</summary>
    public PickleBuilder Tensor(string storageType, string key, long storageElements, long offset, long[] shape, long[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2");
        Mark();
        Mark().Unicode("storage").Global("torch", storageType).Unicode(key).Unicode("cpu").Int(storageElements).Tuple().PersistentId();
        Int(offset).IntTuple(shape).IntTuple(stride).False().OrderedDict();
        return Tuple().Reduce();
    }

    public PickleBuilder Op(char opcode) => Raw((byte)opcode);

    public PickleBuilder Op(byte opcode) => Raw(opcode);

    public PickleBuilder UInt32(uint value) => Raw((byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24));

    public PickleBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
