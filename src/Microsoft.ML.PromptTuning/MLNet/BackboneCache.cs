using System.Security.Cryptography;
using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>
/// Loads each backbone once per process and device and shares it between estimators and transformers (reference counted),
/// so fitting, scoring and loading saved models never reload a model per call or per row.
/// </summary>
internal static class BackboneCache
{
    private sealed class Entry
    {
        public required LanguageModel Model { get; init; }
        public required string Directory { get; init; }
        public int References;
    }

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, string> Hashes = new(StringComparer.Ordinal);

    /// <summary>A frozen backbone for <paramref name="folderOrHubId"/> on <paramref name="device"/>; release it with <see cref="Release"/>.</summary>
    public static (LanguageModel Model, string Directory) Acquire(string folderOrHubId, Device device)
    {
        string directory = ModelLocation.Resolve(folderOrHubId);
        string key = directory + "|" + device;
        lock (Entries)
        {
            if (!Entries.TryGetValue(key, out var entry))
            {
                entry = new Entry { Model = LanguageModelLoader.Load(directory, device).Freeze(), Directory = directory };
                Entries[key] = entry;
            }
            entry.References++;
            return (entry.Model, entry.Directory);
        }
    }

    /// <summary>Drops one reference; the model is disposed with the last.</summary>
    public static void Release(LanguageModel model)
    {
        lock (Entries)
        {
            var (key, entry) = Entries.FirstOrDefault(e => ReferenceEquals(e.Value.Model, model));
            if (entry is null || --entry.References > 0)
                return;
            Entries.Remove(key);
            entry.Model.Dispose();
        }
    }

    /// <summary>SHA-256 (hex) over the folder's weight files, in name order; cached per file sizes and times.</summary>
    public static string WeightsSha256(string directory)
    {
        var files = CheckpointFiles.WeightFileNames.Select(n => Path.Combine(directory, n)).Where(File.Exists).ToList();
        files.AddRange(Directory.EnumerateFiles(directory, "model-*-of-*.safetensors").Order(StringComparer.Ordinal));
        files.AddRange(Directory.EnumerateFiles(directory, "pytorch_model-*-of-*.bin").Order(StringComparer.Ordinal));
        if (files.Count == 0)
            throw new FileNotFoundException($"No weight file found in {directory}.");
        string stamp = string.Join("|", files.Select(f => $"{f}:{new FileInfo(f).Length}:{File.GetLastWriteTimeUtc(f).Ticks}"));
        lock (Hashes)
            if (Hashes.TryGetValue(stamp, out var cached))
                return cached;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        foreach (string file in files)
        {
            using var stream = File.OpenRead(file);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                sha.AppendData(buffer, 0, read);
        }
        string hash = Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
        lock (Hashes)
            Hashes[stamp] = hash;
        return hash;
    }
}
