namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

/// <summary>A scratch folder laid out like a Hugging Face model folder, deleted on dispose.</summary>
internal sealed class TemporaryTokenizerFolder : IDisposable
{
    public TemporaryTokenizerFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "prompttuning-tokenizer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Copies every file of a shared tokenizer (<c>roberta-base</c>, <c>bert-base-uncased</c>, <c>t5</c>) here.</summary>
    public TemporaryTokenizerFolder WithShared(string name)
    {
        foreach (string file in Directory.GetFiles(SharedData.Tokenizer(name)))
            System.IO.File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
        return this;
    }

    /// <summary>Writes a text file (a config or a deliberately malformed tokenizer file).</summary>
    public TemporaryTokenizerFolder WithFile(string name, string content)
    {
        System.IO.File.WriteAllText(System.IO.Path.Combine(Path, name), content);
        return this;
    }

    public TemporaryTokenizerFolder WithFile(string name, byte[] content)
    {
        System.IO.File.WriteAllBytes(System.IO.Path.Combine(Path, name), content);
        return this;
    }

    public string FilePath(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
