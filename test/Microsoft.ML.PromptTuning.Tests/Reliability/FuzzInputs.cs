using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Tokenization;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Reliability;

/// <summary>
/// The valid files the fuzz tests corrupt, built once from <c>../shared</c>: small enough that one parse takes
/// milliseconds, and covering every branch a real file takes (dtypes, shared storages, special tokens).
/// </summary>
internal static class FuzzInputs
{
    /// <summary>A hand-made safetensors file with every supported kind of entry: float32/16, bfloat16, int64, a scalar, an empty tensor, metadata.</summary>
    public static byte[] SmallSafeTensors(string folder)
    {
        string path = Path.Combine(folder, "small.safetensors");
        using (var scope = NewDisposeScope())
        {
            SafeTensors.Save(path,
            [
                new("embeddings.weight", arange(12, ScalarType.Float32).reshape(3, 4)),
                new("half", tensor(new float[] { 1, -2, 3.5f, 0 }).to(ScalarType.Float16)),
                new("brain", tensor(new float[] { 0.25f, 8, -1 }).reshape(3, 1).to(ScalarType.BFloat16)),
                new("ids", tensor(new long[] { 7, -1 })),
                new("scale", tensor(2.0f)),
                new("nothing", zeros(0, 5)),
            ], new Dictionary<string, string> { ["format"] = "pt" });
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>The <c>data.pkl</c> of a fixture's <c>pytorch_model.bin</c>: a real <c>torch.save</c> state-dict pickle.</summary>
    public static byte[] FixturePickle(string fixture)
    {
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(SharedData.Fixture(fixture), "pytorch_model.bin"));
        ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Offsets just after the pickle opcodes that carry a length, count or memo index (worth corrupting).</summary>
    public static List<int> PickleLengthFields(byte[] pickle)
    {
        // BINUNICODE, SHORT_BINUNICODE, BINUNICODE8, BININT, BININT1, BININT2, BINPUT, LONG_BINPUT, BINGET, LONG_BINGET, FRAME, LONG1, PROTO
        byte[] opcodes = [(byte)'X', 0x8c, 0x8d, (byte)'J', (byte)'K', (byte)'M', (byte)'q', (byte)'r', (byte)'h', (byte)'j', 0x95, 0x8a, 0x80];
        var fields = new List<int>();
        for (int i = 0; i + 1 < pickle.Length; i++)
            if (Array.IndexOf(opcodes, pickle[i]) >= 0)
                fields.Add(i + 1);
        return fields;
    }

    /// <summary>
    /// A RoBERTa-style <c>vocab.json</c> and <c>merges.txt</c>: the first 1,500 tokens of roberta-base (ids kept dense) with
    /// <c>&lt;mask&gt;</c> appended, and the first 800 merges whose parts and result are among them.
    /// </summary>
    public static (byte[] Vocabulary, byte[] Merges) SmallBpeFiles()
    {
        string folder = SharedData.Tokenizer("roberta-base");
        var full = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(folder, "vocab.json")))!;
        var kept = full.Where(kv => kv.Value < 1500).OrderBy(kv => kv.Value).ToDictionary(kv => kv.Key, kv => kv.Value);
        kept["<mask>"] = 1500;
        var merges = new List<string> { "#version: 0.2" };
        foreach (string line in File.ReadLines(Path.Combine(folder, "merges.txt")).Skip(1))
        {
            string[] parts = line.Split(' ');
            if (parts.Length == 2 && kept.ContainsKey(parts[0]) && kept.ContainsKey(parts[1]) && kept.ContainsKey(parts[0] + parts[1]))
                merges.Add(line);
            if (merges.Count > 800)
                break;
        }
        return (JsonSerializer.SerializeToUtf8Bytes(kept), Encoding.UTF8.GetBytes(string.Join("\n", merges) + "\n"));
    }

    /// <summary>The first 2,000 lines of bert-base-uncased's <c>vocab.txt</c> (special tokens included).</summary>
    public static byte[] SmallWordPieceVocabulary() =>
        Encoding.UTF8.GetBytes(string.Join("\n", File.ReadLines(Path.Combine(SharedData.Tokenizer("bert-base-uncased"), "vocab.txt")).Take(2000)) + "\n");

    /// <summary>
    /// T5's <c>spiece.model</c> with only its first 400 pieces (pad, eos, unk among them) and its trainer and normalizer
    /// specs; also the byte range of the pieces and trainer spec, where mutations matter most.
    /// </summary>
    public static (byte[] Model, (int Start, int Length) Focus) SmallSentencePieceModel()
    {
        byte[] real = File.ReadAllBytes(Path.Combine(SharedData.Tokenizer("t5"), "spiece.model"));
        var fields = ProtobufWire.ReadFields(real);
        using var model = new MemoryStream();
        int pieces = 0;
        foreach (var field in fields)
        {
            if (field.Number == 1 && ++pieces > 400)
                continue;
            model.Write(field.Raw.Span);
        }
        int normalizerStart = (int)model.Length - fields.Where(f => f.Number == 3).Sum(f => f.Raw.Length);
        return (model.ToArray(), (0, normalizerStart));
    }
}
