using System.Net;
using System.Net.Http.Headers;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// Sends the GET requests of downloads. Redirects are followed by hand: the hub's metadata headers travel on its own
/// redirect to the storage server (and would be lost otherwise), a cached blob needs no visit to the storage server,
/// and the token is sent only to the hub's own server.
/// </summary>
internal sealed class HubHttpClient : IDisposable
{
    private const int MaxRedirects = 10;

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Microsoft.ML.PromptTuning", typeof(HubHttpClient).Assembly.GetName().Version?.ToString() ?? "0");

    private readonly HttpClient client;
    private readonly Uri endpoint;
    private readonly string? token;

    /// <summary>Creates a client sending through <paramref name="handler"/>, disposing it only when <paramref name="ownsHandler"/>.</summary>
    public HubHttpClient(HttpMessageHandler handler, bool ownsHandler, Uri endpoint, string? token)
    {
        // The inactivity timeout replaces HttpClient's whole-request timeout, which would cut large files short.
        client = new HttpClient(handler, ownsHandler) { Timeout = Timeout.InfiniteTimeSpan };
        this.endpoint = endpoint;
        this.token = token;
    }

    /// <summary>The handler used when none is injected: no automatic redirects and no decompression, so bytes stay exact.</summary>
    public static HttpMessageHandler CreateDefaultHandler() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    };

    /// <summary>
    /// Asks the hub for <paramref name="url"/>, following the hub's own relative redirects (a renamed repository) and
    /// stopping at an absolute redirect, which leads to the storage server holding Git LFS content; the body is left unread.
    /// </summary>
    public async Task<HubResponse> GetAsync(Uri url, string fileName, InactivityTimeout timeout, HubErrors errors)
    {
        Uri current = url;
        HubFileMetadata metadata = HubFileMetadata.None;
        for (int hop = 0; ; hop++)
        {
            HttpResponseMessage response = await SendAsync(current, fileName, timeout, errors).ConfigureAwait(false);
            metadata = HubFileMetadata.Read(response).Over(metadata);
            if (!IsRedirect(response.StatusCode))
                return new HubResponse(response, metadata, storageLocation: null);
            Uri next = RedirectTarget(response, current, hop, fileName, errors);
            // Like huggingface_hub: an absolute Location leaves the hub, and the storage server's headers mean something else.
            if (response.Headers.Location!.IsAbsoluteUri)
                return new HubResponse(response, metadata, next);
            response.Dispose();
            current = next;
        }
    }

    /// <summary>Fetches content from the storage server the hub redirected to, following its redirects; the body is left unread.</summary>
    public async Task<HttpResponseMessage> GetStorageAsync(Uri location, string fileName, InactivityTimeout timeout, HubErrors errors)
    {
        Uri current = location;
        for (int hop = 0; ; hop++)
        {
            HttpResponseMessage response = await SendAsync(current, fileName, timeout, errors).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode))
                return response;
            Uri next = RedirectTarget(response, current, hop, fileName, errors);
            response.Dispose();
            current = next;
        }
    }

    /// <summary>Releases the HTTP client (and the handler when it owns it).</summary>
    public void Dispose() => client.Dispose();

    private async Task<HttpResponseMessage> SendAsync(Uri url, string fileName, InactivityTimeout timeout, HubErrors errors)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.Add(UserAgent);
        // The cache must hold the exact bytes, so no transfer compression.
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        if (token is not null && HubUrls.SameServer(url, endpoint))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        timeout.Restart();
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.HasExpired)
        {
            throw errors.Timeout(fileName, timeout.Limit, 0);
        }
        catch (HttpRequestException exception)
        {
            throw errors.Unreachable(fileName, url, exception);
        }
    }

    private static Uri RedirectTarget(HttpResponseMessage response, Uri current, int hop, string fileName, HubErrors errors)
    {
        Uri? location = response.Headers.Location;
        if (location is null || hop == MaxRedirects)
        {
            int status = (int)response.StatusCode;
            response.Dispose();
            throw errors.BadRedirect(fileName, location is null
                ? $"the server answered a redirect ({status}) without a Location."
                : $"more than {MaxRedirects} redirects.");
        }
        Uri next = location.IsAbsoluteUri ? location : new Uri(current, location);
        string? problem = next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps
            ? $"a redirect to the unsupported scheme '{next.Scheme}'."
            : current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp
                ? $"a redirect from https down to http ({next.GetLeftPart(UriPartial.Authority)})."
                : null;
        if (problem is not null)
        {
            response.Dispose();
            throw errors.BadRedirect(fileName, problem);
        }
        return next;
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
