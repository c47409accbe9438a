using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

[TestClass]
public sealed class AddedTokenSplitterTests
{
    private static readonly AddedTokenSplitter Splitter = new(
    [
        new AddedToken("<s>", 0),
        new AddedToken("<s2>", 2),
        new AddedToken("<mask>", 9, StripLeft: true),
    ]);

    [TestMethod]
    [DataRow("a <mask> b", "[a]9[ b]")]
    [DataRow("a   <mask>", "[a]9")]
    [DataRow("a <s> b", "[a ]0[ b]")]
    [DataRow("<s2><s>", "20")]
    [DataRow("plain text", "[plain text]")]
    [DataRow("<MASK>", "[<MASK>]")]
    [DataRow("", "")]
    public void Encode_TextWithTokens_SplitsAroundThem(string text, string expected)
    {
        // Plain stretches are encoded as the marker -1 and recorded, to show exactly what reaches the model.
        var stretches = new Queue<string>();
        List<int> ids = Splitter.Encode(text, plain =>
        {
            stretches.Enqueue(plain);
            return [-1];
        });

        string actual = string.Concat(ids.Select(id => id == -1 ? $"[{stretches.Dequeue()}]" : id.ToString()));
        Assert.AreEqual(expected, actual);
    }
}
