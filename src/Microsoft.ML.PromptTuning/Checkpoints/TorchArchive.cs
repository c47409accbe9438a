using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>The zip container <c>torch.save</c> writes: <c>&lt;archive&gt;/data.pkl</c>, storages under <c>&lt;archive&gt;/data/</c>, and an optional <c>byteorder</c>.</summary>
/// <remarks>Storages are read through streams straight into their destination, never buffered whole. Not thread-safe.</remarks>
internal sealed class TorchArchive : IDisposable
{
    /// <summary>The largest <c>data.pkl</c> accepted (64 MB; a state dict's pickle is a few hundred kB).</summary>
    public const long MaxPickleBytes = 64L << 20;

    private static ReadOnlySpan<byte> ZipMagic => "PK\x03\x04"u8;

    private readonly ZipArchive _zip;
    private readonly string _prefix;
    private readonly long _fileLength;

    private TorchArchive(string path, ZipArchive zip, string prefix, long fileLength)
    {
        Path = path;
        _zip = zip;
        _prefix = prefix;
        _fileLength = fileLength;
    }

    /// <summary>The archive's path, used in error messages.</summary>
    public string Path { get; }

    /// <summary>Opens the zip at <paramref name="path"/>, finds its single <c>data.pkl</c> and checks that it is little-endian.</summary>
    /// <exception cref="CheckpointFormatException">Not a zip (e.g. the legacy pre-1.6 format), truncated, ambiguous, or big-endian.</exception>
    public static TorchArchive Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            Span<byte> magic = stackalloc byte[4];
            if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || !magic.SequenceEqual(ZipMagic))
                throw new CheckpointFormatException(path, "not a zip archive; only the zip format torch.save has written since PyTorch 1.6 is supported.");
            stream.Position = 0;
            ZipArchive? zip = null;
            try
            {
                zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
                // The central directory is read on the first look at the entries, so its damage surfaces here too.
                var archive = new TorchArchive(path, zip, FindPrefix(path, zip), stream.Length);
                archive.CheckByteOrder();
                return archive;
            }
            catch (InvalidDataException exception)
            {
                zip?.Dispose();
                throw new CheckpointFormatException(path, $"the zip archive is truncated or corrupt: {exception.Message}", exception);
            }
            catch
            {
                zip?.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of <c>data.pkl</c>.</summary>
    public byte[] ReadPickle()
    {
        ZipArchiveEntry entry = _zip.GetEntry(_prefix + "data.pkl")!;
        if (entry.Length > MaxPickleBytes)
            throw new CheckpointFormatException(Path, $"data.pkl is {entry.Length} bytes, over the {MaxPickleBytes}-byte limit.");
        var pickle = new byte[entry.Length];
        Guard(() =>
        {
            using Stream stream = entry.Open();
            stream.ReadExactly(pickle);
        }, "data.pkl");
        return pickle;
    }

    /// <summary>Checks that every storage has an uncompressed entry of exactly its byte size.</summary>
    /// <exception cref="CheckpointFormatException">A storage entry is missing, compressed, or of the wrong size.</exception>
    public void CheckStorages(IEnumerable<TorchStorageReference> storages)
    {
        foreach (TorchStorageReference storage in storages)
        {
            string name = StorageEntryName(storage.Key);
            ZipArchiveEntry entry = _zip.GetEntry(name)
                ?? throw new CheckpointFormatException(Path, $"storage '{storage.Key}' is missing: the archive has no entry '{name}'.");
            // torch.save stores storages uncompressed; requiring that bounds every size by the file's own length.
            if (entry.CompressedLength != entry.Length || entry.Length > _fileLength)
                throw new CheckpointFormatException(Path, $"storage entry '{name}' is compressed or larger than the file; torch.save stores storages uncompressed.");
            if (entry.Length != storage.ByteLength)
                throw new CheckpointFormatException(Path, $"storage entry '{name}' is {entry.Length} bytes but holds {storage.ElementCount} {storage.DType} elements ({storage.ByteLength} bytes).");
        }
    }

    /// <summary>Opens the storage <paramref name="key"/> positioned <paramref name="skipBytes"/> bytes in.</summary>
    public Stream OpenStorage(string key, long skipBytes)
    {
        Stream? stream = null;
        try
        {
            Guard(() =>
            {
                stream = _zip.GetEntry(StorageEntryName(key))!.Open();
                Skip(stream, skipBytes);
            }, StorageEntryName(key));
            return stream!;
        }
        catch
        {
            stream?.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/>, reporting a truncated or corrupt entry as a <see cref="CheckpointFormatException"/>.</summary>
    public void Guard(Action read, string entryName)
    {
        try
        {
            read();
        }
        catch (Exception exception) when (exception is EndOfStreamException or InvalidDataException)
        {
            throw new CheckpointFormatException(Path, $"entry '{entryName}' is truncated or corrupt: {exception.Message}", exception);
        }
    }

    public void Dispose() => _zip.Dispose();

    private string StorageEntryName(string key) => _prefix + "data/" + key;

    private void CheckByteOrder()
    {
        // Archives written before PyTorch 1.12 have no byteorder record; they are little-endian.
        ZipArchiveEntry? entry = _zip.GetEntry(_prefix + "byteorder");
        if (entry is null)
            return;
        if (entry.Length > 16)
            throw new CheckpointFormatException(Path, $"the byteorder record is {entry.Length} bytes; expected 'little'.");
        var bytes = new byte[entry.Length];
        Guard(() =>
        {
            using Stream stream = entry.Open();
            stream.ReadExactly(bytes);
        }, "byteorder");
        string order = Encoding.ASCII.GetString(bytes).Trim();
        if (order != "little")
            throw new CheckpointFormatException(Path, $"the archive's byte order is '{order}'; only little-endian checkpoints are supported.");
    }

    private static string FindPrefix(string path, ZipArchive zip)
    {
        // The pickle sits at "<archive name>/data.pkl"; the archive name is free (torch uses the file's stem or "archive").
        string[] pickles = zip.Entries
            .Select(entry => entry.FullName)
            .Where(name => name.EndsWith("/data.pkl", StringComparison.Ordinal) && name.IndexOf('/') == name.Length - "/data.pkl".Length)
            .ToArray();
        return pickles.Length switch
        {
            1 => pickles[0][..^"data.pkl".Length],
            0 => throw new CheckpointFormatException(path, "the zip archive has no '<archive>/data.pkl'; it is not a torch.save checkpoint."),
            _ => throw new CheckpointFormatException(path, $"the zip archive has {pickles.Length} data.pkl entries ({string.Join(", ", pickles)}); expected one."),
        };
    }

    private static void Skip(Stream stream, long count)
    {
        Span<byte> discard = stackalloc byte[8192];
        while (count > 0)
        {
            int chunk = (int)Math.Min(count, discard.Length);
            stream.ReadExactly(discard[..chunk]);
            count -= chunk;
        }
    }
}
