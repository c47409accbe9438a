using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Backbones.Bert;
using Microsoft.ML.PromptTuning.Backbones.T5;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Tests.Checkpoints;
using Microsoft.ML.PromptTuning.Tokenization;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Tests.Reliability;

/// <summary>
/// Seeded fuzzing of the parsers of untrusted files, for a bounded number of cases and seconds each. The contract checked:
/// a corrupted file is either accepted (and then fully readable) or rejected with the parser's documented exception —
/// <see cref="CheckpointFormatException"/> for safetensors, pickles and <c>pytorch_model.bin</c> zips,
/// <see cref="InvalidDataException"/> for tokenizer files and <c>config.json</c> — and no case hangs. Any other exception
/// (index out of range, null reference, out of memory, invalid cast …) fails the test with the case's seed; rerun just
/// that case with <c>PROMPT_TRANSFER_FUZZ_CASE_SEED</c> (see <see cref="FuzzHarness"/>).
/// </summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class ParserFuzzTests
{
    private static readonly string[] Texts = ["Hello world, this is <mask> a test.", "  Ünïcödé — 日本語 🙂 tabs\tand\nlines ", "", "a"];

    [TestMethod]
    public void SafeTensorsReader_MutatedFiles_AcceptedOrRejectedWithCheckpointFormatException()
    {
        using var folder = new TempFolder();
        byte[][] originals = [FuzzInputs.SmallSafeTensors(folder.Path), File.ReadAllBytes(Path.Combine(SharedData.Fixture("t5-tiny-random"), "expected.safetensors"))];
        string path = folder.File("case.safetensors");

        var report = FuzzHarness.Run("safetensors", defaultSeed: 8_001, cases: 1500, TimeSpan.FromSeconds(4), seed =>
        {
            var mutator = new SeededMutator(seed);
            byte[] original = originals[mutator.Next(originals.Length)];
            int headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);
            byte[] bytes = mutator.Mutate(original, focus: (0, headerEnd), lengthFields: [0]);
            return new FuzzCase(mutator.Description, () =>
            {
                File.WriteAllBytes(path, bytes);
                using var reader = SafeTensorsReader.Open(path);
                foreach (string name in reader.Names)
                    reader.Read(name, dtype: null).Dispose();
            });
        }, e => e is CheckpointFormatException);

        Assert.IsTrue(report.Cases >= 100, report.ToString());
    }

    [TestMethod]
    public void RestrictedUnpickler_MutatedStateDictPickles_AcceptedOrRejectedWithCheckpointFormatException()
    {
        byte[][] originals = [FuzzInputs.FixturePickle("roberta-tiny"), FuzzInputs.FixturePickle("t5-tiny-random")];
        var lengthFields = originals.Select(FuzzInputs.PickleLengthFields).ToArray();

        var report = FuzzHarness.Run("pickle", defaultSeed: 8_002, cases: 5000, TimeSpan.FromSeconds(4), seed =>
        {
            var mutator = new SeededMutator(seed);
            int which = mutator.Next(originals.Length);
            byte[] bytes = mutator.Mutate(originals[which], lengthFields: lengthFields[which]);
            return new FuzzCase(mutator.Description, () =>
            {
                object? root = new RestrictedUnpickler("fuzz/data.pkl", new TorchPickleResolver()).Load(bytes);
                TorchStateDict.FromPickle(root, "fuzz/data.pkl");
            });
        }, e => e is CheckpointFormatException);

        Assert.IsTrue(report.Cases >= 500, report.ToString());
    }

    [TestMethod]
    public void PyTorchCheckpointReader_MutatedBinZips_AcceptedOrRejectedWithCheckpointFormatException()
    {
        using var folder = new TempFolder();
        byte[] original = File.ReadAllBytes(Path.Combine(SharedData.Fixture("t5-tiny-random"), "pytorch_model.bin"));
        byte[] pickle = FuzzInputs.FixturePickle("t5-tiny-random");
        // torch.save stores entries uncompressed, so the pickle lies in the file as is; the central directory is at the end.
        int pickleStart = original.AsSpan().IndexOf(pickle);
        Assert.IsTrue(pickleStart > 0, "the fixture's pickle is stored uncompressed");
        (int, int)[] regions = [(pickleStart, pickle.Length), (original.Length - 4096, 4096), (0, 256)];
        string path = folder.File("pytorch_model.bin");

        var report = FuzzHarness.Run("pytorch_model.bin", defaultSeed: 8_003, cases: 600, TimeSpan.FromSeconds(4), seed =>
        {
            var mutator = new SeededMutator(seed);
            byte[] bytes = mutator.Mutate(original, focus: regions[mutator.Next(regions.Length)]);
            return new FuzzCase(mutator.Description, () =>
            {
                File.WriteAllBytes(path, bytes);
                using var reader = PyTorchCheckpointReader.Open(path);
                foreach (string name in reader.Names)
                    reader.Read(name).Dispose();
            });
        }, e => e is CheckpointFormatException);

        Assert.IsTrue(report.Cases >= 50, report.ToString());
    }

    [TestMethod]
    public void ModelTokenizer_MutatedBpeFiles_AcceptedOrRejectedWithInvalidData()
    {
        using var folder = new TempFolder();
        var (vocabulary, merges) = FuzzInputs.SmallBpeFiles();

        var report = FuzzHarness.Run("vocab.json + merges.txt", defaultSeed: 8_004, cases: 600, TimeSpan.FromSeconds(4), seed =>
        {
            var mutator = new SeededMutator(seed);
            bool mutateVocabulary = mutator.Next(2) == 0;
            byte[] vocabularyBytes = mutateVocabulary ? mutator.Mutate(vocabulary) : vocabulary;
            byte[] mergesBytes = mutateVocabulary ? merges : mutator.Mutate(merges, focus: (0, 200));
            return new FuzzCase((mutateVocabulary ? "vocab.json: " : "merges.txt: ") + mutator.Description, () =>
            {
                File.WriteAllBytes(folder.File("vocab.json"), vocabularyBytes);
                File.WriteAllBytes(folder.File("merges.txt"), mergesBytes);
                EncodeTexts(ModelTokenizer.FromDirectory(folder.Path));
            });
        }, e => e is InvalidDataException);

        Assert.IsTrue(report.Cases >= 50, report.ToString());
    }

    [TestMethod]
    public void ModelTokenizer_MutatedWordPieceVocabulary_AcceptedOrRejectedWithInvalidData()
    {
        using var folder = new TempFolder();
        byte[] vocabulary = FuzzInputs.SmallWordPieceVocabulary();

        var report = FuzzHarness.Run("vocab.txt", defaultSeed: 8_005, cases: 600, TimeSpan.FromSeconds(3), seed =>
        {
            var mutator = new SeededMutator(seed);
            byte[] bytes = mutator.Mutate(vocabulary, focus: (0, 1000));
            return new FuzzCase(mutator.Description, () =>
            {
                File.WriteAllBytes(folder.File("vocab.txt"), bytes);
                EncodeTexts(ModelTokenizer.FromDirectory(folder.Path));
            });
        }, e => e is InvalidDataException);

        Assert.IsTrue(report.Cases >= 50, report.ToString());
    }

    [TestMethod]
    public void ModelTokenizer_MutatedSentencePieceModel_AcceptedOrRejectedWithInvalidData()
    {
        using var folder = new TempFolder();
        var (model, focus) = FuzzInputs.SmallSentencePieceModel();

        var report = FuzzHarness.Run("spiece.model", defaultSeed: 8_006, cases: 400, TimeSpan.FromSeconds(4), seed =>
        {
            var mutator = new SeededMutator(seed);
            byte[] bytes = mutator.Mutate(model, focus: focus);
            return new FuzzCase(mutator.Description, () =>
            {
                File.WriteAllBytes(folder.File("spiece.model"), bytes);
                EncodeTexts(ModelTokenizer.FromDirectory(folder.Path));
            });
        }, e => e is InvalidDataException);

        Assert.IsTrue(report.Cases >= 30, report.ToString());
    }

    [TestMethod]
    public void ConfigReader_MutatedConfigJson_AcceptedOrRejectedWithInvalidData()
    {
        using var folder = new TempFolder();
        byte[][] originals = new[] { "roberta-tiny", "bert-tiny-random", "t5-v1_1-tiny-random" }
            .Select(f => File.ReadAllBytes(Path.Combine(SharedData.Fixture(f), "config.json"))).ToArray();
        string path = folder.File("config.json");

        var report = FuzzHarness.Run("config.json", defaultSeed: 8_007, cases: 1500, TimeSpan.FromSeconds(2), seed =>
        {
            var mutator = new SeededMutator(seed);
            byte[] bytes = mutator.Mutate(originals[mutator.Next(originals.Length)]);
            return new FuzzCase(mutator.Description, () =>
            {
                File.WriteAllBytes(path, bytes);
                // Reading and checking the configuration only: a plausible mutated config may describe a large model.
                var config = ConfigReader.FromFile(path);
                if (config.ModelType is "t5" or "mt5")
                    T5Config.Read(config);
                else
                    BertConfig.Read(config);
            });
        }, e => e is InvalidDataException);

        Assert.IsTrue(report.Cases >= 100, report.ToString());
    }

    private static void EncodeTexts(ModelTokenizer tokenizer)
    {
        foreach (string text in Texts)
            tokenizer.Encode(text);
        tokenizer.Encode(Texts[0], Texts[1]);
    }
}
