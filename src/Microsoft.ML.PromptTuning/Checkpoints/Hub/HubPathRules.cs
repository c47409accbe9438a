using System.Globalization;
using System.Text;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// Validates every name that becomes a URL segment or a cache path: repository ids, revisions and file names given by
/// the caller, and the ETags and commit hashes sent back by the server.
/// </summary>
internal static class HubPathRules
{
    // huggingface_hub's own limit (validate_repo_id).
    private const int MaxRepoIdLength = 96;

    // Longest name most file systems accept for one path segment.
    private const int MaxSegmentLength = 255;

    /// <summary>Checks a repository id (<c>org/name</c> or <c>name</c>) like huggingface_hub does, so it cannot leave the cache.</summary>
    public static void ValidateRepoId(string repoId, string paramName)
    {
        const string What = "repository id";
        RejectUnsafeText(repoId, What, paramName);
        if (repoId.Contains("..", StringComparison.Ordinal))
            throw Invalid(What, repoId, "contains '..'", paramName);
        if (repoId.Contains("--", StringComparison.Ordinal))
            throw Invalid(What, repoId, "contains '--', which the cache uses as its separator", paramName);
        if (repoId.Length > MaxRepoIdLength)
            throw Invalid(What, repoId, $"is longer than {MaxRepoIdLength} characters", paramName);
        if (repoId.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            throw Invalid(What, repoId, "ends with '.git'", paramName);

        string[] parts = repoId.Split('/');
        if (parts.Length > 2)
            throw Invalid(What, repoId, "has more than one '/'; expected 'org/name' or 'name'", paramName);
        foreach (string part in parts)
        {
            if (part.Length == 0)
                throw Invalid(What, repoId, "has an empty part; expected 'org/name' or 'name'", paramName);
            foreach (char c in part)
            {
                if (!IsWordCharacter(c) && c != '-' && c != '.')
                    throw Invalid(What, repoId, $"contains the character {Describe(c)}; only letters, digits, '_', '-' and '.' are allowed", paramName);
            }
            if (!IsWordCharacter(part[0]) || !IsWordCharacter(part[^1]))
                throw Invalid(What, repoId, $"has the part '{part}' that starts or ends with '-' or '.'", paramName);
        }
    }

    /// <summary>Checks a revision (branch, tag, <c>refs/pr/1</c> or commit hash) that becomes a file under <c>refs/</c>.</summary>
    public static void ValidateRevision(string revision, string paramName)
    {
        const string What = "revision";
        RejectUnsafeText(revision, What, paramName);
        foreach (string segment in revision.Split('/'))
            RejectBadSegment(segment, What, revision, paramName);
        foreach (char c in revision)
        {
            if (char.IsWhiteSpace(c))
                throw Invalid(What, revision, "contains white space", paramName);
        }
    }

    /// <summary>Checks a file name inside a repository (<c>config.json</c>, <c>onnx/model.onnx</c>) and returns its segments.</summary>
    public static string[] SplitFileName(string fileName, string paramName)
    {
        const string What = "file name";
        ArgumentNullException.ThrowIfNull(fileName, paramName);
        RejectUnsafeText(fileName, What, paramName);
        string[] segments = fileName.Split('/');
        foreach (string segment in segments)
            RejectBadSegment(segment, What, fileName, paramName);
        return segments;
    }

    /// <summary>Whether a value sent by the server (ETag, commit hash) can safely name a single file or folder.</summary>
    public static bool IsSafeSegment(string value)
    {
        if (value.Length == 0 || value.Length > MaxSegmentLength || value == "." || value == "..")
            return false;
        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.')
                return false;
        }
        return true;
    }

    /// <summary>Whether the value is a full git commit hash (40 lower-case hex digits), as huggingface_hub defines it.</summary>
    public static bool IsCommitHash(string value) => IsLowerHex(value, 40);

    /// <summary>Whether the value is a sha256 digest (64 lower-case hex digits), the ETag of files stored with Git LFS.</summary>
    public static bool IsSha256(string value) => IsLowerHex(value, 64);

    /// <summary>The value with control characters written as <c>\uXXXX</c>, safe to put in an exception message.</summary>
    public static string Display(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (char.IsControl(c))
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }
        return builder.ToString();
    }

    private static void RejectUnsafeText(string value, string what, string paramName)
    {
        if (value.Length == 0)
            throw new ArgumentException($"The {what} is empty.", paramName);
        foreach (char c in value)
        {
            if (char.IsControl(c))
                throw Invalid(what, value, $"contains the control character {Describe(c)}", paramName);
            if (c == '\\')
                throw Invalid(what, value, "contains a backslash; use '/' between folders", paramName);
        }
        if (value[0] == '/' || IsDriveRooted(value))
            throw Invalid(what, value, "is an absolute path; it must be relative", paramName);
    }

    private static void RejectBadSegment(string segment, string what, string value, string paramName)
    {
        if (segment.Length == 0)
            throw Invalid(what, value, "has an empty path segment ('//' or a trailing '/')", paramName);
        if (segment == "..")
            throw Invalid(what, value, "contains a '..' segment", paramName);
        if (segment == ".")
            throw Invalid(what, value, "contains a '.' segment", paramName);
        if (segment.Length > MaxSegmentLength)
            throw Invalid(what, value, $"has a segment longer than {MaxSegmentLength} characters", paramName);
    }

    private static ArgumentException Invalid(string what, string value, string problem, string paramName) =>
        new($"The {what} '{Display(value)}' {problem}.", paramName);

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c)
        ? $"U+{(int)c:X4}"
        : $"'{c}' (U+{(int)c:X4})";

    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static bool IsDriveRooted(string value) => value.Length >= 2 && char.IsAsciiLetter(value[0]) && value[1] == ':';

    private static bool IsLowerHex(string value, int length)
    {
        if (value.Length != length)
            return false;
        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c) && c is < 'a' or > 'f')
                return false;
        }
        return true;
    }
}
