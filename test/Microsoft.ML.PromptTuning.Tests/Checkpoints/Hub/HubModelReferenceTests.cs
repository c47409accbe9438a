using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

[TestClass]
public sealed class HubModelReferenceTests
{
    [TestMethod]
    public void Parse_OrgAndName_DefaultsToMain()
    {
        HubModelReference reference = HubModelReference.Parse("FacebookAI/roberta-base");

        Assert.AreEqual("FacebookAI/roberta-base", reference.RepoId);
        Assert.AreEqual("main", reference.Revision);
        Assert.IsFalse(reference.IsCommitHash);
        Assert.AreEqual("models--FacebookAI--roberta-base", reference.CacheFolderName);
        Assert.AreEqual("FacebookAI/roberta-base@main", reference.ToString());
    }

    [TestMethod]
    public void Parse_BareName_UsesSingleNameCacheFolder()
    {
        HubModelReference reference = HubModelReference.Parse("gpt2");

        Assert.AreEqual("gpt2", reference.RepoId);
        Assert.AreEqual("models--gpt2", reference.CacheFolderName);
    }

    [TestMethod]
    [DataRow("google-t5/t5-small@v1.0", "google-t5/t5-small", "v1.0")]
    [DataRow("bert-base-uncased@refs/pr/12", "bert-base-uncased", "refs/pr/12")]
    [DataRow("org/name@0123456789abcdef0123456789abcdef01234567", "org/name", "0123456789abcdef0123456789abcdef01234567")]
    public void Parse_WithRevision_SplitsAtFirstAt(string text, string repoId, string revision)
    {
        HubModelReference reference = HubModelReference.Parse(text);

        Assert.AreEqual(repoId, reference.RepoId);
        Assert.AreEqual(revision, reference.Revision);
    }

    [TestMethod]
    public void Parse_FullCommitHash_IsCommitHash()
    {
        Assert.IsTrue(HubModelReference.Parse("org/name@0123456789abcdef0123456789abcdef01234567").IsCommitHash);
        Assert.IsFalse(HubModelReference.Parse("org/name@0123456").IsCommitHash);
    }

    [TestMethod]
    [DataRow("../etc", "'..'")]
    [DataRow("org/..", "'..'")]
    [DataRow("org/../../etc", "'..'")]
    [DataRow("/etc/passwd", "absolute")]
    [DataRow("C:/models/x", "absolute")]
    [DataRow("org\\name", "backslash")]
    [DataRow("org/na\u0001me", "control character")]
    [DataRow("org/name\n", "control character")]
    [DataRow("a/b/c", "more than one '/'")]
    [DataRow("org//name", "more than one '/'")]
    [DataRow("org/", "empty part")]
    [DataRow("org/-name", "starts or ends")]
    [DataRow("org--x/name", "'--'")]
    [DataRow("org/na me", "U+0020")]
    [DataRow("org/name.git", ".git")]
    [DataRow("@main", "empty")]
    [TestCategory("Reliability")]
    public void Parse_BadRepositoryId_ThrowsNamingRepositoryId(string text, string problem)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => HubModelReference.Parse(text));

        StringAssert.Contains(error.Message, "repository id");
        StringAssert.Contains(error.Message, problem);
        Assert.AreEqual("modelReference", error.ParamName);
    }

    [TestMethod]
    [DataRow("org/name@../../etc", "'..'")]
    [DataRow("org/name@refs/../../x", "'..'")]
    [DataRow("org/name@/etc/passwd", "absolute")]
    [DataRow("org/name@a\\b", "backslash")]
    [DataRow("org/name@ma\u0000in", "control character")]
    [DataRow("org/name@a//b", "empty path segment")]
    [DataRow("org/name@./x", "'.'")]
    [DataRow("org/name@my branch", "white space")]
    [TestCategory("Reliability")]
    public void Parse_BadRevision_ThrowsNamingRevision(string text, string problem)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => HubModelReference.Parse(text));

        StringAssert.Contains(error.Message, "revision");
        StringAssert.Contains(error.Message, problem);
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Parse_ControlCharacter_IsEscapedInMessage()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => HubModelReference.Parse("org/name@ma\u001bin"));

        StringAssert.Contains(error.Message, "ma\\u001bin");
        Assert.IsFalse(error.Message.Contains('\u001b'));
    }

    [TestMethod]
    public void Parse_TrailingAt_ThrowsNamingMissingRevision()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => HubModelReference.Parse("org/name@"));

        StringAssert.Contains(error.Message, "names no revision");
    }

    [TestMethod]
    public void Parse_Empty_ThrowsArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => HubModelReference.Parse(""));
        Assert.ThrowsExactly<ArgumentNullException>(() => HubModelReference.Parse(null!));
    }
}
