using System.Text.Json;
using Microsoft.Extensions.Options;

namespace RedisFlow.Dashboard.Data;

/// <summary>
/// The executors page: RAGFlow's task executors, the members of the <c>TASKEXE</c> set; each one writes JSON heartbeats
/// into a sorted set named after itself, scored by time (seconds), and the newest one is shown.
/// </summary>
internal sealed class ExecutorReader(RedisDb db, IOptions<DashboardOptions> options)
{
    public async Task<IReadOnlyList<ExecutorRow>> ReadAsync(CancellationToken ct)
    {
        var members = await db.SMembersAsync(options.Value.ExecutorSet, ct).ConfigureAwait(false) ?? new HashSet<string>();
        var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
        var rows = new List<ExecutorRow>();
        foreach (var name in members.Order(StringComparer.Ordinal).Take(options.Value.MaxKeys))
        {
            var last = await database.SortedSetRangeByRankWithScoresAsync(name, -1, -1).ConfigureAwait(false);
            var count = await db.ZCardAsync(name, ct).ConfigureAwait(false);
            if (last.Length == 0)
            {
                rows.Add(new ExecutorRow(name, null, null, count));
                continue;
            }

            rows.Add(new ExecutorRow(name, DateTimeOffset.FromUnixTimeMilliseconds((long)(last[0].Score * 1000)), Parse(last[0].Element.ToString()), count));
        }

        return rows;
    }

    // Another process writes the heartbeat: RedisFlow's one depth limit, not the parser's default of 64.
    private static readonly JsonDocumentOptions HeartbeatOptions = new() { MaxDepth = RedisFlow.Queues.PythonJson.MaxDepth };

    private static JsonElement? Parse(string heartbeat)
    {
        try
        {
            using var document = JsonDocument.Parse(heartbeat, HeartbeatOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record ExecutorRow(string Name, DateTimeOffset? LastHeartbeat, JsonElement? Heartbeat, long Heartbeats);
