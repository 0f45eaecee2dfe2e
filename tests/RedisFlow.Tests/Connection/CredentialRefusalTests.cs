using Microsoft.Extensions.Logging;
using RedisFlow.Embedded;
using RedisFlow.Testing;
using RedisFlow.Testing.Topologies;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Connection;

/// <summary>
/// A wrong password for a named ACL user is refused on every kind of server, including a stock one whose
/// password-less <c>default</c> user would otherwise take the connection over silently.
/// </summary>
public sealed class CredentialRefusalTests
{
    private const string User = NamedUserServer.User;
    private static readonly string RightPassword = NamedUserServer.RightPassword;
    private static readonly string WrongPassword = NamedUserServer.WrongPassword;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The three server kinds: stock (default nopass), requirepass, and default switched off.</summary>
    public static TheoryData<string> ServerKinds => new(NamedUserServer.Kinds);

    [Theory]
    [MemberData(nameof(ServerKinds))]
    public async Task Wrong_password_for_a_named_user_is_refused_and_nothing_is_written(string kind)
    {
        await using var server = await StartAsync(kind);
        using var logs = new CapturingLoggerFactory();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var db = await RedisDb.ConnectAsync(Options(server, WrongPassword), factory, Ct);

        Assert.False(await db.HealthAsync(Ct));
        Assert.False(db.IsAlive);
        Assert.False(await db.SetAsync("refused:key", "v", ct: Ct));
        Assert.Null(await db.GetAsync("refused:key", Ct));

        var problem = db.LastProblem;
        Assert.True(problem is not null, logs.AllText());
        Assert.Equal("Redis:Password", problem.Setting);
        Assert.Contains($"'{User}'", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, logs.AllText(), StringComparison.Ordinal);

        // Checked with the right credentials, independently of the refused connection: nothing was written.
        await using var good = await RedisDb.ConnectAsync(Options(server, RightPassword), ct: Ct);
        Assert.Equal(0, await CountKeysAsync(good));
    }

    [Theory]
    [MemberData(nameof(ServerKinds))]
    public async Task Right_password_runs_as_the_named_user(string kind)
    {
        await using var server = await StartAsync(kind);
        await using var db = await RedisDb.ConnectAsync(Options(server, RightPassword), ct: Ct);
        Assert.True(await db.HealthAsync(Ct));
        Assert.Equal(User, db.ConnectedUser);
        Assert.Equal(User, await db.WhoAmIAsync(Ct));
        Assert.Null(db.LastProblem);
    }

    [Fact]
    public async Task A_password_fixed_on_the_server_is_picked_up_without_a_restart()
    {
        await using var server = await StartAsync("stock");
        await using var db = await RedisDb.ConnectAsync(Options(server, WrongPassword), ct: Ct);
        Assert.False(await db.SetAsync("later:key", "v", ct: Ct));
        Assert.NotNull(db.LastProblem);

        // The operator gives the user the password the application was configured with.
        Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", User, ">" + WrongPassword), StringComparison.Ordinal);
        // Asking IsAlive is enough to have it checked again (the cache daemon asks before every file, sending nothing).
        await Poll.UntilAsync(() => db.IsAlive, TimeSpan.FromSeconds(20), "the fixed password to be used", Ct);
        Assert.True(await db.SetAsync("later:key", "v", ct: Ct));
        Assert.Equal(User, db.ConnectedUser);
        Assert.Null(db.LastProblem);
    }

    [Fact]
    public async Task Without_credentials_a_stock_server_is_used_as_its_default_user()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint }, ct: Ct);
        Assert.True(await db.HealthAsync(Ct));
        Assert.Equal("default", await db.WhoAmIAsync(Ct));
    }

    private static async Task<int> CountKeysAsync(RedisDb db)
    {
        var database = await db.GetDatabaseAsync(Ct);
        return (int)await database.ExecuteAsync("DBSIZE");
    }

    private static RedisDbOptions Options(RedisServerProcess server, string password) => new()
    {
        Host = server.Endpoint,
        Username = User,
        Password = password,
        OperationTimeout = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    };

    private static Task<RedisServerProcess> StartAsync(string kind) => NamedUserServer.StartAsync(kind, Ct);
}
