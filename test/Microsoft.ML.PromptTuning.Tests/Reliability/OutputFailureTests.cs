using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Microsoft.ML.PromptTuning.Tests.Reliability;

/// <summary>
/// A save that the operating system refuses — a read-only output folder, a file that may not grow — fails with an error
/// naming the file, leaves the previous result byte-identical and leaves no temporary file behind. The saves run in a child
/// process (the prediction host's <c>save-prompt</c> mode) under the restriction:
/// <list type="bullet">
/// <item>Read-only folder: a <c>chmod 555</c> folder. Root ignores folder permissions, so as root the child runs under
/// <c>setpriv</c> without the capabilities that let root do so (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER); the
/// refusal then comes from the kernel exactly as for an ordinary user.</item>
/// <item>Disk full is simulated: no small file system can be mounted here, so the child runs with a 64 KB file-size limit
/// (<c>prlimit --fsize</c>, SIGXFSZ ignored) and saves a 100 KB prompt. The kernel then fails the write with EFBIG, where a
/// full disk fails it with ENOSPC — the same write path and clean-up; the ENOSPC message itself is covered in-process by
/// <c>AtomicFileTests</c> and <c>CheckpointDirectoryTests</c>.</item>
/// </list>
/// </summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class OutputFailureTests
{
    private static readonly byte[] Previous = "the previous, finished result"u8.ToArray();

    [TestMethod]
    [UnsupportedOSPlatform("windows")]
    public void SavePrompt_ReadOnlyOutputFolder_FailsNamingTheFolderAndKeepsThePreviousFile()
    {
        if (OperatingSystem.IsWindows())
            Assert.Inconclusive("Unix file modes make the read-only folder here.");
        string[]? wrapper = [];
        if (Environment.IsPrivilegedProcess)
        {
            string? setpriv = HostProcess.FindTool("setpriv");
            if (setpriv is null)
                Assert.Inconclusive("Running as root without setpriv: a read-only folder cannot be made to apply.");
            wrapper = [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"];
        }
        string folder = Directory.CreateTempSubdirectory("read-only-output-").FullName;
        string prompt = Path.Combine(folder, "prompt.safetensors");
        File.WriteAllBytes(prompt, Previous);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var (exitCode, _, error) = HostProcess.Run(["save-prompt", prompt, "4", "32"], wrapper);

            Assert.AreEqual(1, exitCode, error);
            StringAssert.StartsWith(error, $"System.UnauthorizedAccessException: Cannot write '{prompt}': folder '{folder}' is not writable");
            StringAssert.Contains(error, "the previous file is unchanged.");
            CollectionAssert.AreEqual(Previous, File.ReadAllBytes(prompt));
            CollectionAssert.AreEqual(new[] { prompt }, Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void SavePrompt_WriteFailsForLackOfSpace_FailsNamingTheFileAndKeepsThePreviousFile()
    {
        string? shell = HostProcess.FindTool("sh"), prlimit = HostProcess.FindTool("prlimit");
        if (shell is null || prlimit is null || !RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            Assert.Inconclusive("Needs Linux with sh and prlimit to limit the child's file size.");
        string folder = Directory.CreateTempSubdirectory("full-output-").FullName;
        string prompt = Path.Combine(folder, "prompt.safetensors");
        File.WriteAllBytes(prompt, Previous);
        try
        {
            // The ignored SIGXFSZ is inherited through exec; the runtime's W^X double mapping would itself need a larger file.
            var (exitCode, _, error) = HostProcess.Run(["save-prompt", prompt, "100", "256"],
                [shell, "-c", "trap '' XFSZ; exec \"$0\" \"$@\"", prlimit, "--fsize=65536"],
                new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" });

            Assert.AreEqual(1, exitCode, error);
            StringAssert.StartsWith(error, $"System.IO.IOException: Cannot write '{prompt}': the file is larger than the file system or the process's file-size limit allows; the previous file is unchanged.");
            CollectionAssert.AreEqual(Previous, File.ReadAllBytes(prompt));
            CollectionAssert.AreEqual(new[] { prompt }, Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
