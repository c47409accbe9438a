using Microsoft.ML.PromptTuning.Checkpoints;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>Tensor data goes from the file straight into native memory: reading a weight allocates almost nothing managed.</summary>
[TestClass]
public sealed class ManagedMemoryTests
{
    private const string WordEmbeddings = "roberta.embeddings.word_embeddings.weight";

    [TestMethod]
    [DataRow("model.safetensors")]
    [DataRow("pytorch_model.bin")]
    public void Read_SixMegabyteEmbedding_AllocatesFarLessManagedMemoryThanItsSize(string fileName)
    {
        using ITensorReader reader = CheckpointFiles.OpenFile(Path.Combine(SharedData.Fixture("roberta-tiny"), fileName));
        long tensorBytes = reader.GetInfo(WordEmbeddings).ByteLength;
        using (torch.Tensor warmUp = reader.Read(WordEmbeddings)) { }

        long before = GC.GetAllocatedBytesForCurrentThread();
        using torch.Tensor embeddings = reader.Read(WordEmbeddings);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(50265L * 32 * 4, tensorBytes);
        Assert.IsTrue(allocated < tensorBytes / 50, $"reading {tensorBytes} bytes allocated {allocated} managed bytes");
    }
}
