namespace Microsoft.ML.PromptTuning.Tests;

/// <summary>Locates the read-only <c>../shared</c> folder (datasets, tokenizers, fixtures) beside the repository.</summary>
internal static class SharedData
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The shared folder; <c>PROMPT_TRANSFER_SHARED</c> overrides the default <c>&lt;repo&gt;/../shared</c>.</summary>
    public static string Directory => Root.Value;

    public static string Fixture(string name) => Path.Combine(Directory, "fixtures", name);

    public static string Tokenizer(string name) => Path.Combine(Directory, "tokenizers", name);

    public static string Data(string name) => Path.Combine(Directory, "data", name);

    /// <summary>The repository root (the folder holding PromptTransfer.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "PromptTransfer.sln")))
                    return dir.FullName;
            throw new DirectoryNotFoundException("PromptTransfer.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string FindRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("PROMPT_TRANSFER_SHARED");
        string root = fromEnvironment ?? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        if (!System.IO.Directory.Exists(Path.Combine(root, "fixtures")))
            throw new DirectoryNotFoundException($"Shared data folder not found at {root} (set PROMPT_TRANSFER_SHARED).");
        return root;
    }
}
