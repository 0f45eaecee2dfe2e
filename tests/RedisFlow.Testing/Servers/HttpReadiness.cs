using System.Net.Sockets;

namespace RedisFlow.Testing.Servers;

/// <summary>Readiness probe for HTTP servers: any HTTP answer at all means the server listens.</summary>
internal static class HttpReadiness
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<bool> AnswersAsync(Uri uri, CancellationToken ct)
    {
        try
        {
            using var response = await Client.GetAsync(uri, ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException or IOException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return false;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
