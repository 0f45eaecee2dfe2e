using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RedisFlow.Dashboard.Data;

namespace RedisFlow.Dashboard.Api;

/// <summary>
/// The actions (POST, refused in read-only mode, antiforgery-checked for browser sessions by <see cref="Security.DashboardAccess"/>):
/// requeue a pending entry, re-drive or delete a dead letter, evict a cached file. Names and ids go in the query string,
/// since queue and key names may hold any character. Each calls RedisFlow's own API, as <c>redisflow queue</c> does.
/// </summary>
internal static class ActionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        Post(api, "/queue/requeue", ["name", "group", "id"], async (services, q, ct) =>
            await services.GetRequiredService<RedisDb>().RequeueMsgWithIdAsync(q("name"), q("group"), q("id"), ct).ConfigureAwait(false) is { } newId
                ? ApiResults.Ok(new { newId })
                : Conflict($"{q("id")} is not pending in the group any more."));

        Post(api, "/queue/redrive", ["name", "id"], async (services, q, ct) =>
            await services.GetRequiredService<RedisDb>().RedriveDeadLetterAsync(q("name"), q("id"), ct).ConfigureAwait(false) is { } newId
                ? ApiResults.Ok(new { newId })
                : Conflict($"No dead letter {q("id")} any more."));

        Post(api, "/queue/delete-dead-letter", ["name", "id"], async (services, q, ct) =>
            await services.GetRequiredService<QueueDetailReader>().DeleteDeadLetterAsync(q("name"), q("id"), ct).ConfigureAwait(false)
                ? ApiResults.Ok(new { deleted = true })
                : Conflict($"No dead letter {q("id")} any more."));

        Post(api, "/cache/evict", ["key"], async (services, q, ct) =>
            await services.GetRequiredService<CacheReader>().EvictAsync(q("key"), ct).ConfigureAwait(false)
                ? ApiResults.Ok(new { evicted = true })
                : Conflict($"'{q("key")}' is not a cached file (or is gone)."));
    }

    /// <summary>Maps one action: 400 naming a missing query parameter, else <paramref name="body"/> with the parameters.</summary>
    private static void Post(IEndpointRouteBuilder api, string path, string[] required,
        Func<IServiceProvider, Func<string, string>, CancellationToken, Task<IResult>> body) =>
        // Cast to Delegate: a lambda taking only HttpContext would otherwise bind as a RequestDelegate and drop the result.
        api.MapPost(path, (Delegate)((HttpContext context) => ApiResults.RunAsync(context, ct =>
        {
            if (required.FirstOrDefault(n => ApiResults.Query(context, n) is null) is { } missing)
            {
                return Task.FromResult(ApiResults.Error(StatusCodes.Status400BadRequest, $"The query parameter '{missing}' is required."));
            }

            return body(context.RequestServices, name => ApiResults.Query(context, name)!, ct);
        })));

    private static IResult Conflict(string message) => ApiResults.Error(StatusCodes.Status409Conflict, message);
}
