using Microsoft.ML.PromptTuning.Backbones;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Backbones;

/// <summary>The kept-scalar arithmetic gives what TorchSharp's operators give, dtype included.</summary>
[TestClass]
public sealed class ScalarSafeOpsTests
{
    [TestMethod]
    public void Arithmetic_MatchesTheOperators()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { -2f, 0.5f, 3f });
        var y = tensor(new float[] { 1f, 2f, -4f });

        Assert.IsTrue(x.Plus(y).equal(x + y).all().item<bool>());
        Assert.IsTrue(x.Plus(1.5).equal(x + 1.5).all().item<bool>());
        Assert.IsTrue(x.Times(-0.25).equal(x * -0.25).all().item<bool>());
        Assert.IsTrue(x.DividedBy(3.0).equal(x / 3.0).all().item<bool>());
        Assert.IsTrue(x.clone().TimesInPlace(2.0).equal(x * 2.0).all().item<bool>());
        Assert.IsTrue(x.clone().PlusInPlace(y).equal(x + y).all().item<bool>());
        Assert.IsTrue(x.clone().PlusScaledInPlace(y, 0.5).equal(x + y * 0.5).all().item<bool>());
        Assert.IsTrue(x.clone().PlusProductInPlace(y, y, 2.0).equal(x + y * y * 2.0).all().item<bool>());
        Assert.IsTrue(x.clone().PlusQuotientInPlace(x, y, -1.0).equal(x - x / y).all().item<bool>());
        Assert.IsTrue(x.FilledWhere(x.lt(0), 9.0).equal(tensor(new float[] { 9f, 0.5f, 3f })).all().item<bool>());
    }

    [TestMethod]
    public void IntegerOperations_StayInt64()
    {
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 1, 5, 7 });

        Assert.AreEqual(ScalarType.Int64, ids.Plus(2L).dtype);
        Assert.AreEqual(ScalarType.Int64, ids.Times(3L).dtype);
        CollectionAssert.AreEqual(new long[] { 3, 7, 9 }, ids.Plus(2L).data<long>().ToArray());
        CollectionAssert.AreEqual(new long[] { 2, 5, 5 }, ids.ClampMin(2).ClampMax(5).data<long>().ToArray());
        CollectionAssert.AreEqual(new[] { false, true, false }, ids.EqualTo(5).data<bool>().ToArray());
        CollectionAssert.AreEqual(new[] { true, false, true }, ids.NotEqualTo(5).data<bool>().ToArray());
        CollectionAssert.AreEqual(new[] { false, true, true }, ids.AtLeast(5).data<bool>().ToArray());
        CollectionAssert.AreEqual(new[] { false, false, true }, ids.GreaterThan(5).data<bool>().ToArray());
        CollectionAssert.AreEqual(new[] { true, false, false }, ids.LessThan(5).data<bool>().ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 0, 7 }, ids.FilledWhere(ids.lt(6), 0L).data<long>().ToArray());
        CollectionAssert.AreEqual(new long[] { 3, 4, 5 }, ScalarSafeOps.Range(3, 6, CPU).data<long>().ToArray());
        var filled = ScalarSafeOps.Filled([2, 2], 4, ScalarType.Int64, CPU);
        Assert.AreEqual(ScalarType.Int64, filled.dtype);
        CollectionAssert.AreEqual(new long[] { 4, 4, 4, 4 }, filled.data<long>().ToArray());
    }
}
