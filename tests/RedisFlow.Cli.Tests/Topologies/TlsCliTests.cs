namespace RedisFlow.Cli.Tests.Topologies;

/// <summary><c>redisflow health</c> on a TLS-only server of the class's own.</summary>
public sealed class TlsCliTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    [Fact]
    public async Task Health_with_tls_and_cacert_exits_0()
    {
        var (code, output, error) = await CliRunner.RunAsync("health", "--redis", fixture.Tls.Endpoint, "--db", "0", "--tls", "--cacert", fixture.Tls.Certificates.CaCertificateFile);
        Assert.True(code == 0, output + error);
        Assert.Contains("healthy", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_with_tls_but_no_cacert_exits_1_saying_the_certificate_is_not_trusted()
    {
        var (code, output, error) = await CliRunner.RunAsync("health", "--redis", fixture.Tls.Endpoint, "--db", "0", "--tls", "--password", "never-printed-Pa55");
        Assert.True(code == 1, output + error);
        Assert.Contains("error: the Redis server's TLS certificate is not trusted", error, StringComparison.Ordinal);
        Assert.Contains("--cacert", error, StringComparison.Ordinal);
        Assert.DoesNotContain("never-printed-Pa55", output + error, StringComparison.Ordinal);
    }
}
