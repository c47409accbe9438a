using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

[TestClass]
public sealed class HubOptionsTests
{
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    [TestMethod]
    public void FromEnvironment_NoVariables_UsesHuggingFaceDefaults()
    {
        HubOptions options = Read(("HF_TOKEN_PATH", "/nonexistent/token"));

        Assert.AreEqual(new Uri("https://huggingface.co"), options.Endpoint);
        Assert.AreEqual(Path.Combine(Home, ".cache", "huggingface", "hub"), options.CacheDirectory);
        Assert.IsNull(options.Token);
        Assert.IsFalse(options.Offline);
        Assert.AreEqual(TimeSpan.FromSeconds(10), options.Timeout);
    }

    [TestMethod]
    public void Constructor_Defaults_MatchFromEnvironmentDefaults()
    {
        var options = new HubOptions();

        Assert.AreEqual(HubOptions.DefaultEndpoint, options.Endpoint);
        Assert.AreEqual(Path.Combine(Home, ".cache", "huggingface", "hub"), options.CacheDirectory);
    }

    [TestMethod]
    public void FromEnvironment_HfHome_CacheIsHubSubfolder()
    {
        HubOptions options = Read(("HF_HOME", "/data/hf"));

        Assert.AreEqual(Path.Combine("/data/hf", "hub"), options.CacheDirectory);
    }

    [TestMethod]
    [DataRow("HF_HUB_CACHE")]
    [DataRow("HUGGINGFACE_HUB_CACHE")]
    public void FromEnvironment_HubCacheVariable_WinsOverHfHome(string variable)
    {
        HubOptions options = Read(("HF_HOME", "/data/hf"), (variable, "/fast/cache"));

        Assert.AreEqual("/fast/cache", options.CacheDirectory);
    }

    [TestMethod]
    public void FromEnvironment_XdgCacheHomeWithoutHfHome_CacheUnderXdg()
    {
        HubOptions options = Read(("XDG_CACHE_HOME", "/xdg"));

        Assert.AreEqual(Path.Combine("/xdg", "huggingface", "hub"), options.CacheDirectory);
    }

    [TestMethod]
    public void FromEnvironment_TildeInHfHome_ExpandsToHome()
    {
        HubOptions options = Read(("HF_HOME", "~/hf"));

        Assert.AreEqual(Path.Combine(Home, "hf", "hub"), options.CacheDirectory);
    }

    [TestMethod]
    public void FromEnvironment_HfEndpoint_SetsEndpoint()
    {
        HubOptions options = Read(("HF_ENDPOINT", "https://hf-mirror.example/"));

        Assert.AreEqual(new Uri("https://hf-mirror.example"), options.Endpoint);
    }

    [TestMethod]
    [DataRow("not a url")]
    [DataRow("ftp://mirror.example")]
    [DataRow("/relative/path")]
    public void FromEnvironment_InvalidEndpoint_ThrowsNamingVariable(string value)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Read(("HF_ENDPOINT", value)));

        StringAssert.Contains(error.Message, "HF_ENDPOINT");
    }

    [TestMethod]
    public void FromEnvironment_BothTokenVariables_HfTokenWins()
    {
        HubOptions options = Read(("HF_TOKEN", "hf_new"), ("HUGGING_FACE_HUB_TOKEN", "hf_old"));

        Assert.AreEqual("hf_new", options.Token);
    }

    [TestMethod]
    public void FromEnvironment_LegacyTokenVariable_IsUsed()
    {
        HubOptions options = Read(("HUGGING_FACE_HUB_TOKEN", "hf_old"), ("HF_TOKEN", "  "));

        Assert.AreEqual("hf_old", options.Token);
    }

    [TestMethod]
    public void FromEnvironment_TokenFileInHfHome_IsUsed()
    {
        string home = Path.Combine(Path.GetTempPath(), "hub-options-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            File.WriteAllText(Path.Combine(home, "token"), "hf_from_login\n");

            var variables = new Dictionary<string, string> { ["HF_HOME"] = home };
            Assert.AreEqual("hf_from_login", HubEnvironment.Read(name => variables.GetValueOrDefault(name)).Token);
            variables["HF_TOKEN"] = "hf_env";
            Assert.AreEqual("hf_env", HubEnvironment.Read(name => variables.GetValueOrDefault(name)).Token);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("1", true)]
    [DataRow("true", true)]
    [DataRow("TRUE", true)]
    [DataRow("yes", true)]
    [DataRow("on", true)]
    [DataRow("0", false)]
    [DataRow("false", false)]
    [DataRow("", false)]
    public void FromEnvironment_HfHubOffline_ReadsBoolean(string value, bool expected)
    {
        Assert.AreEqual(expected, Read(("HF_HUB_OFFLINE", value)).Offline);
    }

    [TestMethod]
    [DataRow(null, "1", true)]
    [DataRow("0", "1", false)]
    public void FromEnvironment_TransformersOffline_UsedWhenHfHubOfflineUnset(string? hubOffline, string transformersOffline, bool expected)
    {
        var variables = new List<(string, string)> { ("TRANSFORMERS_OFFLINE", transformersOffline) };
        if (hubOffline is not null)
            variables.Add(("HF_HUB_OFFLINE", hubOffline));

        Assert.AreEqual(expected, Read([.. variables]).Offline);
    }

    [TestMethod]
    public void FromEnvironment_DownloadTimeout_ReadsSeconds()
    {
        Assert.AreEqual(TimeSpan.FromSeconds(2.5), Read(("HF_HUB_DOWNLOAD_TIMEOUT", "2.5")).Timeout);
    }

    [TestMethod]
    [DataRow("0")]
    [DataRow("-1")]
    [DataRow("soon")]
    public void FromEnvironment_InvalidDownloadTimeout_ThrowsNamingVariable(string value)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Read(("HF_HUB_DOWNLOAD_TIMEOUT", value)));

        StringAssert.Contains(error.Message, "HF_HUB_DOWNLOAD_TIMEOUT");
    }

    [TestMethod]
    public void FromEnvironment_ProcessEnvironment_ReturnsUsableOptions()
    {
        HubOptions options = HubOptions.FromEnvironment();

        Assert.IsTrue(Path.IsPathRooted(options.CacheDirectory));
        options.Validate();
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void ToString_TokenSet_HidesToken()
    {
        var options = new HubOptions { Token = "hf_SuperSecretToken42" };

        string text = options.ToString();

        Assert.IsFalse(text.Contains("hf_SuperSecretToken42", StringComparison.Ordinal), text);
        StringAssert.Contains(text, "Token=(set)");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void HuggingFaceHub_TokenWithLineBreak_ThrowsWithoutShowingToken()
    {
        var options = new HubOptions { Token = "hf_Secret\nInjected: yes" };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new HuggingFaceHub(options));

        StringAssert.Contains(error.Message, "HubOptions.Token");
        Assert.IsFalse(error.Message.Contains("hf_Secret", StringComparison.Ordinal));
    }

    [TestMethod]
    public void HuggingFaceHub_InvalidEndpoint_ThrowsNamingEndpoint()
    {
        var options = new HubOptions { Endpoint = new Uri("ftp://mirror.example") };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new HuggingFaceHub(options));

        StringAssert.Contains(error.Message, "HubOptions.Endpoint");
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void HuggingFaceHub_EndpointWithCredentials_ThrowsWithoutShowingThem()
    {
        var options = new HubOptions { Endpoint = new Uri("https://user:hunter2@mirror.example") };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new HuggingFaceHub(options));

        StringAssert.Contains(error.Message, "HubOptions.Endpoint");
        Assert.IsFalse(error.Message.Contains("hunter2", StringComparison.Ordinal));
    }

    [TestMethod]
    public void HuggingFaceHub_NonPositiveTimeout_ThrowsNamingTimeout()
    {
        var options = new HubOptions { Timeout = TimeSpan.Zero };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new HuggingFaceHub(options));

        StringAssert.Contains(error.Message, "HubOptions.Timeout");
    }

    [TestMethod]
    public void HuggingFaceHub_EmptyCacheDirectory_ThrowsNamingCacheDirectory()
    {
        var options = new HubOptions { CacheDirectory = " " };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new HuggingFaceHub(options));

        StringAssert.Contains(error.Message, "HubOptions.CacheDirectory");
    }

    private static HubOptions Read(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(variable => variable.Name, variable => variable.Value);
        // Keep the machine's own login token out of the expectations.
        map.TryAdd("HF_TOKEN_PATH", "/nonexistent/token");
        return HubEnvironment.Read(name => map.GetValueOrDefault(name));
    }
}
