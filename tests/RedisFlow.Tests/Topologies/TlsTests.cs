using Microsoft.Extensions.Logging;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Topologies;

public sealed class TlsTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Trusted_CA_connects_and_every_kind_of_call_works()
    {
        await using var db = await RedisDb.ConnectAsync(fixture.Tls.Options(), ct: Ct);
        Assert.True(await db.HealthAsync(Ct));
        Assert.True(await db.SetAsync("tls:key", "v", 60, Ct));
        Assert.Equal("v", await db.GetAsync("tls:key", Ct));
        Assert.Null(db.LastProblem);
    }

    [Fact]
    public async Task Client_certificate_is_accepted_for_mutual_tls()
    {
        var certs = fixture.Tls.Certificates;
        await using var db = await RedisDb.ConnectAsync(fixture.Tls.Options(o =>
        {
            o.Ssl!.ClientCertificateFile = certs.ClientCertificateFile;
            o.Ssl.ClientKeyFile = certs.ClientKeyFile;
        }), ct: Ct);
        Assert.True(await db.HealthAsync(Ct));
    }

    [Fact]
    public async Task Insecure_connects_without_the_CA_and_logs_a_warning()
    {
        using var logs = new CapturingLoggerFactory();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var db = await RedisDb.ConnectAsync(fixture.Tls.Options(o => o.Ssl = new RedisSslOptions { Enabled = true, Insecure = true }), factory, Ct);
        Assert.True(await db.HealthAsync(Ct));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("verification is OFF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Untrusted_certificate_is_one_clear_problem_naming_the_CA_setting()
    {
        using var logs = new CapturingLoggerFactory();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var db = await RedisDb.ConnectAsync(fixture.Tls.Options(o => o.Ssl = new RedisSslOptions { Enabled = true }), factory, Ct);
        Assert.False(await db.HealthAsync(Ct));
        // Under load the first attempt can time out before the handshake: the cause is then reported by the
        // multiplexer's next reconnect attempt, a moment later.
        await Poll.UntilAsync(() => db.LastProblem is not null, TimeSpan.FromSeconds(30), "the TLS problem to be reported", Ct);
        var problem = db.LastProblem;
        Assert.NotNull(problem);
        Assert.Equal("Redis:Ssl:CaCertificateFile", problem.Setting);
        Assert.Contains("--cacert", problem.Message, StringComparison.Ordinal);
        Assert.Contains("not trusted", problem.Message, StringComparison.Ordinal);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Redis:Ssl:CaCertificateFile", StringComparison.Ordinal));
    }
}
