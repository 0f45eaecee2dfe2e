using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace RedisFlow.Dashboard.Api;

/// <summary>JSON answers of the dashboard API, and Redis failures turned into 503 instead of a server error page.</summary>
internal static class ApiResults
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static IResult Ok<T>(T value) => Results.Json(value, Json);

    public static IResult Error(int status, string message) => Results.Json(new { error = message }, Json, statusCode: status);

    /// <summary>Runs <paramref name="body"/>; a Redis outage or timeout answers 503 naming it, so the page can show it and retry.</summary>
    public static async Task<IResult> RunAsync(HttpContext context, Func<CancellationToken, Task<IResult>> body)
    {
        context.Response.Headers.CacheControl = "no-store";
        try
        {
            return await body(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, $"Redis did not answer: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>A required query parameter, or null when missing or empty.</summary>
    public static string? Query(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is { Length: > 0 } value ? value : null;
}
