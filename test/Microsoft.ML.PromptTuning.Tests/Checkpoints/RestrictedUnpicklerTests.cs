using Microsoft.ML.PromptTuning.Checkpoints;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>The unpickler decodes plain data and state-dict tensors, and refuses everything that could run code.</summary>
[TestClass]
public sealed class RestrictedUnpicklerTests
{
    private const string FilePath = "hand-made/data.pkl";

    [TestMethod]
    [DataRow("os", "system")]
    [DataRow("builtins", "eval")]
    [DataRow("posix", "system")]
    [DataRow("subprocess", "Popen")]
    [DataRow("torch", "load")]
    [TestCategory("Reliability")]
    public void Load_GlobalOutsideAllowList_RejectedNamingIt(string module, string name)
    {
        byte[] pickle = new PickleBuilder().Proto().Global(module, name).Unicode("echo pwned").Tuple1().Reduce().Stop().ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, $"'{module}.{name}' is not allowed");
        StringAssert.Contains(error.Message, "GLOBAL");
        StringAssert.StartsWith(error.Message, FilePath);
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_StackGlobalOutsideAllowList_RejectedNamingIt()
    {
        byte[] pickle = new PickleBuilder().Proto(4).ShortUnicode("builtins").ShortUnicode("exec").StackGlobal()
            .ShortUnicode("import os").Tuple1().Reduce().Stop().ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, "'builtins.exec' is not allowed");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_ReduceOfStorageType_Rejected()
    {
        byte[] pickle = new PickleBuilder().Proto().Global("torch", "FloatStorage").EmptyTuple().Reduce().Stop().ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, "not as something REDUCE may call");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_ReduceOfNonGlobal_Rejected()
    {
        byte[] pickle = new PickleBuilder().Proto().Unicode("os.system").EmptyTuple().Reduce().Stop().ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, "REDUCE can only call an allow-listed global, not a str");
    }

    [TestMethod]
    [DataRow((byte)'i', "INST (0x69)", "not allowed")]
    [DataRow((byte)0x81, "NEWOBJ (0x81)", "not allowed")]
    [DataRow((byte)'P', "PERSID (0x50)", "not allowed")]
    [DataRow((byte)0xff, "unknown (0xFF)", "not a pickle opcode")]
    [TestCategory("Reliability")]
    public void Load_UnsupportedOpcode_RejectedNamingOpcode(byte opcode, string name, string problem)
    {
        byte[] pickle = new PickleBuilder().Proto().Op(opcode).Stop().ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, $"pickle opcode {name} at byte 2");
        StringAssert.Contains(error.Message, problem);
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_StringLongerThanPickle_RejectedBeforeAllocating()
    {
        byte[] pickle = new PickleBuilder().Proto().Op('X').UInt32(0x7fffffff).Raw("abc"u8.ToArray()).ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, "2147483647-byte string runs past the end");
    }

    [TestMethod]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'N' }, "without a STOP")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'h', 7, (byte)'.' }, "memo entry 7 was never stored")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'N', 0x86, (byte)'.' }, "needs 2 value(s) but the stack holds 1")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'t', (byte)'.' }, "no MARK")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'.' }, "stack holds 0")]
    [DataRow(new byte[] { 0x80, 0x07, (byte)'.' }, "protocol 7 is not supported")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'J', 1, 2 }, "ends 2 byte(s) early")]
    [DataRow(new byte[] { 0x80, 0x02, 0x8a, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, (byte)'.' }, "does not fit in 64 bits")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'N', (byte)'N', (byte)'N', (byte)'s', (byte)'.' }, "targets a None, not a dict")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'}', (byte)']', (byte)'N', (byte)'s', (byte)'.' }, "only str, int, float and bool keys")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)']', (byte)'}', (byte)'b', (byte)'.' }, "BUILD may only set attributes of a dict")]
    [DataRow(new byte[] { 0x80, 0x02, (byte)'X', 2, 0, 0, 0, 0xc3, 0x28, (byte)'.' }, "not valid UTF-8")]
    [DataRow(new byte[] { 0x80, 0x04, 0x95, 0xff, 0, 0, 0, 0, 0, 0, 0, (byte)'N', (byte)'.' }, "frame runs past the end")]
    [TestCategory("Reliability")]
    public void Load_MalformedPickle_RejectedNamingProblem(byte[] pickle, string problem)
    {
        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, problem);
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_GlobalWithoutNewline_RejectedWithinBound()
    {
        byte[] pickle = new PickleBuilder().Proto().Op('c').Raw(Enumerable.Repeat((byte)'a', 5000).ToArray()).ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, "no newline within 256 bytes");
    }

    [TestMethod]
    public void Load_PlainData_DecodesEveryValueKind()
    {
        byte[] pickle = new PickleBuilder().Proto().EmptyDict().Put(0)
            .Mark()
            .Unicode("ints").Mark().Int(7).Int(300).Int(-5).Int(70000).Long1(-1L << 40).Tuple()
            .Unicode("float").Float(-0.5)
            .Unicode("flags").True().False().None().Op(0x87)
            .Unicode("list").EmptyList().Memoize().Int(1).Append().Mark().Int(2).Int(3).Appends()
            .Unicode("self").Get(0)
            .SetItems()
            .Stop().ToArray();

        var root = (OrderedDictionary<object, object?>)Load(pickle)!;

        CollectionAssert.AreEqual(new[] { "ints", "float", "flags", "list", "self" }, root.Keys.ToArray());
        CollectionAssert.AreEqual(new object[] { 7L, 300L, -5L, 70000L, -1L << 40 }, ((PickleTuple)root["ints"]!).Items.ToArray());
        Assert.AreEqual(-0.5, root["float"]);
        CollectionAssert.AreEqual(new object?[] { true, false, null }, ((PickleTuple)root["flags"]!).Items.ToArray());
        CollectionAssert.AreEqual(new object[] { 1L, 2L, 3L }, (List<object?>)root["list"]!);
        Assert.AreSame(root, root["self"], "BINGET returns the memoized object itself");
    }

    [TestMethod]
    public void Load_StateDictPickle_DescribesTensorsAndSharedStorage()
    {
        byte[] pickle = new PickleBuilder().Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .Mark()
            .Unicode("weight").Tensor("HalfStorage", "0", 12, 0, [3, 4], [4, 1])
            .Unicode("tied").Tensor("HalfStorage", "0", 12, 2, [2, 3], [1, 2])
            .SetItems()
            .EmptyDict().Unicode("_metadata").EmptyDict().SetItem().Build()
            .Stop().ToArray();
        var resolver = new TorchPickleResolver();

        object? root = new RestrictedUnpickler(FilePath, resolver).Load(pickle);
        OrderedDictionary<string, TorchTensorReference> tensors = TorchStateDict.FromPickle(root, FilePath);

        CollectionAssert.AreEqual(new[] { "weight", "tied" }, tensors.Keys.ToArray());
        TorchTensorReference weight = tensors["weight"], tied = tensors["tied"];
        Assert.AreEqual(new TorchStorageReference("0", TensorDType.F16, 12), weight.Storage);
        Assert.AreSame(weight.Storage, tied.Storage, "one storage, described once");
        Assert.IsTrue(weight.IsContiguous);
        Assert.IsFalse(tied.IsContiguous);
        Assert.AreEqual(2, tied.StorageOffset);
        Assert.AreEqual(6, tied.ElementSpan, "1 + (2-1)*1 + (3-1)*2");
        Assert.AreEqual(1, resolver.Storages.Count);
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_TensorViewPastStorage_Rejected()
    {
        byte[] pickle = new PickleBuilder().Proto().EmptyDict()
            .Unicode("w").Tensor("FloatStorage", "0", 10, 4, [2, 4], [4, 1]).SetItem().Stop().ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, "runs past the end of storage '0' (10 elements)");
    }

    [TestMethod]
    [DataRow("../../etc/passwd")]
    [DataRow("0/1")]
    [DataRow("")]
    [TestCategory("Reliability")]
    public void Load_StorageKeyThatIsNotAPlainName_Rejected(string key)
    {
        byte[] pickle = new PickleBuilder().Proto().EmptyDict()
            .Unicode("w").Tensor("FloatStorage", key, 4, 0, [4], [1]).SetItem().Stop().ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, "is not a plain name");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_SameStorageKeyWithConflictingTypes_Rejected()
    {
        byte[] pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Unicode("a").Tensor("FloatStorage", "0", 4, 0, [4], [1])
            .Unicode("b").Tensor("LongStorage", "0", 4, 0, [4], [1])
            .SetItems().Stop().ToArray();

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => Load(pickle));

        StringAssert.Contains(error.Message, "storage '0' is described twice");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void FromPickle_NonTensorValue_ThrowsNamingKey()
    {
        byte[] pickle = new PickleBuilder().Proto().EmptyDict().Unicode("step").Int(10).SetItem().Stop().ToArray();

        object? root = Load(pickle);
        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => TorchStateDict.FromPickle(root, FilePath));

        StringAssert.Contains(error.Message, "state dict entry 'step' is a int, not a tensor");
    }

    private static object? Load(byte[] pickle) => new RestrictedUnpickler(FilePath, new TorchPickleResolver()).Load(pickle);
}
