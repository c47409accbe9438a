using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

[TestClass]
public sealed class SentencePieceModelFileTests
{
    private static readonly string ModelPath = Path.Combine(SharedData.Tokenizer("t5"), "spiece.model");

    [TestMethod]
    public void Parse_T5Model_ReadsPiecesAndTrainerSpecIds()
    {
        SentencePieceModelFile model = SentencePieceModelFile.Parse(File.ReadAllBytes(ModelPath), ModelPath);

        Assert.AreEqual(32000, model.Pieces.Count);
        Assert.AreEqual((0, 1, 2), (model.PadId, model.EndOfSentenceId, model.UnknownId));
        Assert.AreEqual("<pad>", model.Pieces[0]);
        Assert.AreEqual("</s>", model.Pieces[1]);
        Assert.AreEqual("▁The", model.Pieces[37]);
    }

    [TestMethod]
    public void Parse_T5Model_RewritesOnlyTheNegativeBosId()
    {
        byte[] original = File.ReadAllBytes(ModelPath);

        byte[] patched = SentencePieceModelFile.Parse(original, ModelPath).LoadableBytes;

        // bos_id -1 takes a 10-byte varint; the unknown id 2 takes one byte.
        Assert.AreEqual(original.Length - 9, patched.Length);
        SentencePieceModelFile reparsed = SentencePieceModelFile.Parse(patched, "patched");
        CollectionAssert.AreEqual(SentencePieceModelFile.Parse(original, ModelPath).Pieces.ToArray(), reparsed.Pieces.ToArray());
        Assert.AreSame(patched, reparsed.LoadableBytes, "a model with a valid bos_id is passed through as is");
    }
}
