using Microsoft.ML.PromptTuning.Checkpoints;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>
/// The folder swap behind training checkpoints, in the states a kill or a failed write leaves behind: a later run always
/// finds one complete checkpoint and never one that was half written.
/// </summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class CheckpointDirectoryTests
{
    private const string Marker = "trainer_state.json";

    [TestMethod]
    public void Write_WriterFails_LeavesThePreviousCheckpointAndNoTemporaryFolder()
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("checkpoint");
        CheckpointDirectory.Write(checkpoint, f => File.WriteAllText(Path.Combine(f, Marker), "step 4"));

        var error = Assert.ThrowsExactly<IOException>(() => CheckpointDirectory.Write(checkpoint, f =>
        {
            File.WriteAllText(Path.Combine(f, Marker), "step 6, half writ");
            throw new IOException("No space left on device");   // what the runtime throws for ENOSPC, simulated here
        }));

        StringAssert.Contains(error.Message, $"Could not save the checkpoint {checkpoint} (No space left on device); the previous checkpoint, if any, is unchanged.");
        Assert.AreEqual(checkpoint, CheckpointDirectory.Latest(checkpoint, Marker));
        Assert.AreEqual("step 4", File.ReadAllText(Path.Combine(checkpoint, Marker)));
        CollectionAssert.AreEqual(new[] { checkpoint }, Directory.GetFileSystemEntries(folder.Path));
    }

    [TestMethod]
    public void Latest_KilledBetweenTheTwoMoves_FindsThePreviousCheckpointUnderOld()
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("checkpoint");
        // The state a kill after "checkpoint → checkpoint.old" and before "checkpoint.tmp → checkpoint" leaves.
        WriteFolder(checkpoint + ".old", "step 4");
        WriteFolder(checkpoint + ".tmp", "step 6");

        Assert.AreEqual(checkpoint + ".old", CheckpointDirectory.Latest(checkpoint, Marker));
    }

    [TestMethod]
    public void Write_AfterAKillBetweenTheMoves_RestoresThePreviousCheckpointBeforeWriting()
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("checkpoint");
        WriteFolder(checkpoint + ".old", "step 4");
        WriteFolder(checkpoint + ".tmp", "step 6");
        string? latestWhileWriting = null;

        CheckpointDirectory.Write(checkpoint, f =>
        {
            // A kill now must still find "step 4": it is back under the checkpoint's own name, not only under ".old".
            latestWhileWriting = File.ReadAllText(Path.Combine(CheckpointDirectory.Latest(checkpoint, Marker)!, Marker));
            File.WriteAllText(Path.Combine(f, Marker), "step 8");
        });

        Assert.AreEqual("step 4", latestWhileWriting);
        Assert.AreEqual("step 8", File.ReadAllText(Path.Combine(checkpoint, Marker)));
        CollectionAssert.AreEqual(new[] { checkpoint }, Directory.GetFileSystemEntries(folder.Path), "no .old or .tmp left");
    }

    [TestMethod]
    public void Write_PartialTemporaryFolderFromAKill_IsReplaced()
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("checkpoint");
        WriteFolder(checkpoint, "step 4");
        Directory.CreateDirectory(checkpoint + ".tmp");
        File.WriteAllText(Path.Combine(checkpoint + ".tmp", "parameters.safetensors"), "half");

        Assert.AreEqual(checkpoint, CheckpointDirectory.Latest(checkpoint, Marker), "the partial folder is never read");
        CheckpointDirectory.Write(checkpoint, f => File.WriteAllText(Path.Combine(f, Marker), "step 6"));

        Assert.AreEqual("step 6", File.ReadAllText(Path.Combine(checkpoint, Marker)));
        Assert.IsFalse(File.Exists(Path.Combine(checkpoint, "parameters.safetensors")));
        CollectionAssert.AreEqual(new[] { checkpoint }, Directory.GetFileSystemEntries(folder.Path));
    }

    private static void WriteFolder(string path, string state)
    {
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, Marker), state);
    }
}
