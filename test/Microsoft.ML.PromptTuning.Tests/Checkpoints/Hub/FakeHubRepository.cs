using System.Collections.Concurrent;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

/// <summary>A repository served by <see cref="LocalHubServer"/>: commits with their files, branches, and optional gating.</summary>
internal sealed class FakeHubRepository
{
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, byte[]>> commits = new();
    private readonly ConcurrentDictionary<string, string> branches = new();
    private readonly ConcurrentDictionary<string, FakeHubFault> faults = new();

    public FakeHubRepository(string repoId) => RepoId = repoId;

    public string RepoId { get; }

    /// <summary>The token a request needs (gated repository); null for a public one.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>Whether answers carry <c>X-Repo-Commit</c>; plain mirrors do not.</summary>
    public bool SendsCommitHeader { get; init; } = true;

    /// <summary>Adds a commit with its files and points the given branches at it.</summary>
    public FakeHubRepository WithCommit(string commit, IReadOnlyDictionary<string, byte[]> files, params string[] branchNames)
    {
        commits[commit] = files;
        foreach (string branch in branchNames)
            branches[branch] = commit;
        return this;
    }

    public void SetFault(string fileName, FakeHubFault fault) => faults[fileName] = fault;

    public FakeHubFault FaultOf(string fileName) => faults.GetValueOrDefault(fileName, FakeHubFault.None);

    public string? ResolveCommit(string revision) =>
        commits.ContainsKey(revision) ? revision : branches.GetValueOrDefault(revision);

    public byte[]? FileAt(string commit, string fileName) =>
        commits.TryGetValue(commit, out var files) && files.TryGetValue(fileName, out byte[]? content) ? content : null;
}
