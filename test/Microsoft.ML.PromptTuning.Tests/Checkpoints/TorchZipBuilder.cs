using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>Writes a <c>torch.save</c>-style zip (stored entries under one archive folder) from a pickle and raw storages.</summary>
internal sealed class TorchZipBuilder(string archiveName = "archive")
{
    private readonly List<(string Name, byte[] Bytes)> _entries = [];

    public TorchZipBuilder Pickle(byte[] pickle) => Entry("data.pkl", pickle);

    public TorchZipBuilder Storage(string key, byte[] bytes) => Entry("data/" + key, bytes);

    public TorchZipBuilder Storage(string key, float[] values) => Storage(key, values.SelectMany(BitConverter.GetBytes).ToArray());

    public TorchZipBuilder ByteOrder(string order) => Entry("byteorder", Encoding.ASCII.GetBytes(order));

    public TorchZipBuilder Entry(string relativeName, byte[] bytes)
    {
        _entries.Add(($"{archiveName}/{relativeName}", bytes));
        return this;
    }

    public void Save(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach ((string name, byte[] bytes) in _entries)
        {
            ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
            using Stream stream = entry.Open();
            stream.Write(bytes);
        }
    }

    /// <summary>Copies every entry of an existing archive except those <paramref name="skip"/> rejects, keeping their names.</summary>
    public static void CopyExcept(string source, string destination, Func<string, bool> skip)
    {
        using ZipArchive input = ZipFile.OpenRead(source);
        using var output = ZipFile.Open(destination, ZipArchiveMode.Create);
        foreach (ZipArchiveEntry entry in input.Entries.Where(e => !skip(e.FullName)))
        {
            ZipArchiveEntry copy = output.CreateEntry(entry.FullName, CompressionLevel.NoCompression);
            using Stream from = entry.Open();
            using Stream to = copy.Open();
            from.CopyTo(to);
        }
    }
}
