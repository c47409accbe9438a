using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

/// <summary>A <see cref="LocalHubServer"/> serving the roberta-tiny fixture, and a temporary <c>HF_HOME</c> for its cache.</summary>
internal sealed class HubTestBed : IAsyncDisposable
{
    public const string RepoId = "prompt-transfer/roberta-tiny";
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";
    public const string OlderCommit = "fedcba9876543210fedcba9876543210fedcba98";
    public const string CacheFolderName = "models--prompt-transfer--roberta-tiny";

    private static readonly Lazy<byte[]> ConfigBytes = new(() => File.ReadAllBytes(SharedData.Fixture("roberta-tiny/config.json")));
    private static readonly Lazy<byte[]> ModelBytes = new(() => File.ReadAllBytes(SharedData.Fixture("roberta-tiny/model.safetensors")));

    public HubTestBed()
    {
        HfHome = Path.Combine(Path.GetTempPath(), "hub-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(HfHome);
        Server = new LocalHubServer();
    }

    public static byte[] Config => ConfigBytes.Value;

    public static byte[] Model => ModelBytes.Value;

    public LocalHubServer Server { get; }

    public string HfHome { get; }

    /// <summary>The cache, <c>$HF_HOME/hub</c>.</summary>
    public string CacheDirectory => Path.Combine(HfHome, "hub");

    /// <summary>The fixture repository's folder in the cache.</summary>
    public string RepoFolder => Path.Combine(CacheDirectory, CacheFolderName);

    /// <summary>Serves the fixture (config.json, model.safetensors) at <see cref="Commit"/> on branch main.</summary>
    public FakeHubRepository AddFixture(string? requiredToken = null, bool sendsCommitHeader = true) =>
        Server.Add(new FakeHubRepository(RepoId) { RequiredToken = requiredToken, SendsCommitHeader = sendsCommitHeader }
            .WithCommit(Commit, new Dictionary<string, byte[]> { ["config.json"] = Config, ["model.safetensors"] = Model }, "main"));

    /// <summary>Options read the way <see cref="HubOptions.FromEnvironment"/> reads them, from HF_HOME, HF_ENDPOINT and the extra variables.</summary>
    public HubOptions Options(params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string>
        {
            ["HF_HOME"] = HfHome,
            ["HF_ENDPOINT"] = Server.Endpoint.ToString(),
        };
        foreach ((string name, string value) in extra)
            variables[name] = value;
        return HubEnvironment.Read(name => variables.GetValueOrDefault(name));
    }

    /// <summary>Every file and folder under the cache, relative and sorted, to compare the cache before and after.</summary>
    public string[] CacheListing() => Directory.Exists(CacheDirectory)
        ? Directory.EnumerateFileSystemEntries(CacheDirectory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(CacheDirectory, path)).Order(StringComparer.Ordinal).ToArray()
        : [];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(HfHome, recursive: true);
    }
}
