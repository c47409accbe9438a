using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints.Hub;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (a free port chosen by the OS, so parallel tests never collide) that serves
/// the Hugging Face layout: <c>/{repo}/resolve/{revision}/{file}</c> answers 200 with <c>ETag</c> and
/// <c>X-Repo-Commit</c> for small files, and for large (LFS) files a 302 with <c>X-Linked-Etag</c> (the sha256) to a
/// <c>/cdn/</c> URL, like the real hub. Every connection serves one request.
/// </summary>
internal sealed class LocalHubServer : IAsyncDisposable
{
    // Files at least this large are served like Git LFS files.
    public const int LfsThreshold = 1024;

    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<string, FakeHubRepository> repositories = new();
    private readonly ConcurrentDictionary<string, string> renamed = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly ConcurrentDictionary<int, Task> connections = new();
    private readonly Task acceptLoop;
    private int connectionCount;

    public LocalHubServer()
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        acceptLoop = AcceptAsync();
    }

    public Uri Endpoint { get; }

    public int RequestCount => requests.Count;

    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    public FakeHubRepository Add(FakeHubRepository repository)
    {
        repositories[repository.RepoId] = repository;
        return repository;
    }

    /// <summary>Answers requests for <paramref name="oldRepoId"/> with a relative redirect to <paramref name="newRepoId"/>, like a renamed repository.</summary>
    public void Rename(string oldRepoId, string newRepoId) => renamed[oldRepoId] = newRepoId;

    /// <summary>The sha256 of the content, the ETag the hub gives LFS files.</summary>
    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The git blob hash of the content, the ETag the hub gives small files.</summary>
    public static string GitBlobSha1(byte[] content) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        listener.Stop();
        await Task.WhenAll([acceptLoop, .. connections.Values]).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            int id = Interlocked.Increment(ref connectionCount);
            connections[id] = ServeAsync(client).ContinueWith(_ => connections.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                string? head = await ReadHeadAsync(stream).ConfigureAwait(false);
                if (head is null)
                    return;
                string[] lines = head.Split("\r\n");
                string[] requestLine = lines[0].Split(' ');
                string? authorization = lines.Skip(1)
                    .Where(line => line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
                    .Select(line => line["Authorization:".Length..].Trim()).FirstOrDefault();
                requests.Enqueue(new RecordedRequest(requestLine[0], requestLine[1], authorization));
                await RespondAsync(stream, requestLine[1], authorization).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (timeout and cancellation tests) or the server is stopping.
            }
        }
    }

    private async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 16384)
        {
            if (await stream.ReadAsync(one, stopping.Token).ConfigureAwait(false) == 0)
                return null;
            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
                return Encoding.ASCII.GetString([.. head]).TrimEnd();
        }
        return null;
    }

    private async Task RespondAsync(NetworkStream stream, string path, string? authorization)
    {
        if (path.StartsWith("/cdn/", StringComparison.Ordinal))
        {
            await ServeStorageAsync(stream, path["/cdn/".Length..]).ConfigureAwait(false);
            return;
        }
        int resolve = path.IndexOf("/resolve/", StringComparison.Ordinal);
        if (resolve > 0 && renamed.TryGetValue(Uri.UnescapeDataString(path[1..resolve]), out string? newRepoId))
        {
            await WriteAsync(stream, 307, [("Location", "/" + newRepoId + path[resolve..])]).ConfigureAwait(false);
            return;
        }
        if (resolve < 0 || !repositories.TryGetValue(Uri.UnescapeDataString(path[1..resolve]), out FakeHubRepository? repository))
        {
            await WriteAsync(stream, 404, [("X-Error-Code", "RepoNotFound")]).ConfigureAwait(false);
            return;
        }
        string rest = path[(resolve + "/resolve/".Length)..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string revision = Uri.UnescapeDataString(rest[..slash]);
        string fileName = string.Join('/', rest[(slash + 1)..].Split('/').Select(Uri.UnescapeDataString));
        await ResolveAsync(stream, repository, revision, fileName, authorization).ConfigureAwait(false);
    }

    private async Task ResolveAsync(NetworkStream stream, FakeHubRepository repository, string revision, string fileName, string? authorization)
    {
        if (repository.RequiredToken is { } token && authorization != "Bearer " + token)
        {
            // Echoes the presented credentials, as a careless server might: the client must still keep them out of messages.
            await WriteAsync(stream, authorization is null ? 401 : 403,
                [("X-Error-Code", "GatedRepo"), ("X-Error-Message", $"Access to {repository.RepoId} is restricted; you sent '{authorization}'.")])
                .ConfigureAwait(false);
            return;
        }
        string? commit = repository.ResolveCommit(revision);
        if (commit is null)
        {
            await WriteAsync(stream, 404, [("X-Error-Code", "RevisionNotFound")]).ConfigureAwait(false);
            return;
        }
        var commitHeader = repository.SendsCommitHeader ? new[] { ("X-Repo-Commit", commit) } : [];
        byte[]? content = repository.FileAt(commit, fileName);
        FakeHubFault fault = repository.FaultOf(fileName);
        if (content is null)
            await WriteAsync(stream, 404, [("X-Error-Code", "EntryNotFound"), .. commitHeader]).ConfigureAwait(false);
        else if (fault == FakeHubFault.ServerError)
            await WriteAsync(stream, 500, commitHeader).ConfigureAwait(false);
        else if (fault == FakeHubFault.StallHeaders)
            await WaitForClientToLeaveAsync(stream).ConfigureAwait(false);
        else if (content.Length >= LfsThreshold || fault == FakeHubFault.WrongChecksum)
        {
            string sha256 = fault == FakeHubFault.WrongChecksum ? Sha256([.. content, 0]) : Sha256(content);
            string location = $"{Endpoint}cdn/{Uri.EscapeDataString(repository.RepoId)}/{commit}/{Uri.EscapeDataString(fileName)}";
            await WriteAsync(stream, 302, [("Location", location), ("X-Linked-Etag", $"\"{sha256}\""),
                ("X-Linked-Size", content.Length.ToString()), ("ETag", "\"pointer-etag\""), .. commitHeader]).ConfigureAwait(false);
        }
        else
        {
            string etag = fault == FakeHubFault.UnsafeETag ? "../../evil" : GitBlobSha1(content);
            await WriteBodyAsync(stream, content, fault, [("ETag", $"\"{etag}\""), .. commitHeader]).ConfigureAwait(false);
        }
    }

    private async Task ServeStorageAsync(NetworkStream stream, string path)
    {
        string[] parts = path.Split('/');
        FakeHubRepository repository = repositories[Uri.UnescapeDataString(parts[0])];
        string fileName = Uri.UnescapeDataString(parts[2]);
        byte[] content = repository.FileAt(parts[1], fileName)!;
        // The storage server's own ETag is not the blob's name; the client must ignore it.
        await WriteBodyAsync(stream, content, repository.FaultOf(fileName), [("ETag", "\"storage-etag\"")]).ConfigureAwait(false);
    }

    private async Task WriteBodyAsync(NetworkStream stream, byte[] content, FakeHubFault fault, (string Name, string Value)[] headers)
    {
        bool partial = fault is FakeHubFault.Truncate or FakeHubFault.StallBody;
        await WriteAsync(stream, 200, headers, content, partial ? content.Length / 2 : content.Length).ConfigureAwait(false);
        if (fault == FakeHubFault.StallBody)
            await WaitForClientToLeaveAsync(stream).ConfigureAwait(false);
    }

    private async Task WriteAsync(NetworkStream stream, int status, (string Name, string Value)[] headers, byte[]? body = null, int? sendLength = null)
    {
        body ??= [];
        var head = new StringBuilder($"HTTP/1.1 {status} {(HttpStatusCode)status}\r\n");
        foreach ((string name, string value) in headers)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("Content-Length: ").Append(body.Length).Append("\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), stopping.Token).ConfigureAwait(false);
        await stream.WriteAsync(body.AsMemory(0, sendLength ?? body.Length), stopping.Token).ConfigureAwait(false);
        await stream.FlushAsync(stopping.Token).ConfigureAwait(false);
    }

    // Returns once the client closes its end (or the server stops).
    private async Task WaitForClientToLeaveAsync(NetworkStream stream)
    {
        byte[] buffer = new byte[256];
        while (await stream.ReadAsync(buffer, stopping.Token).ConfigureAwait(false) > 0)
        {
        }
    }
}
