using System.Text;

namespace Microsoft.ML.PromptTuning.Tests.Pretraining;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder() =>
        Path = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "prompt-transfer-tests",
            $"corpus-{Guid.NewGuid():N}")).FullName;

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> as UTF-8 (no byte-order mark) to <paramref name="name"/> and returns its path.</summary>
    public string Write(string name, string content) => WriteBytes(name, new UTF8Encoding(false).GetBytes(content));

    /// <summary>Writes raw bytes to <paramref name="name"/> and returns its path.</summary>
    public string WriteBytes(string name, byte[] content)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A path inside the folder (not created).</summary>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A still-mapped file on some systems; the temp folder is cleaned by the OS eventually.
        }
    }
}
