using RedisFlow.Testing.Topologies;

namespace RedisFlow.Cli.Tests;

/// <summary><c>redisflow health</c> with a wrong password for a named user, on the three kinds of server.</summary>
public sealed class CredentialRefusalCommandTests
{
    public static TheoryData<string> ServerKinds => new(NamedUserServer.Kinds);

    [Theory]
    [MemberData(nameof(ServerKinds))]
    public async Task Health_with_a_wrong_password_exits_1_naming_the_user_never_the_password(string kind)
    {
        await using var server = await NamedUserServer.StartAsync(kind, TestContext.Current.CancellationToken);
        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "health", "--redis", server.Endpoint, "--user", NamedUserServer.User, "--password", NamedUserServer.WrongPassword);

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        Assert.StartsWith("unhealthy", stdout, StringComparison.Ordinal);
        Assert.Contains($"user '{NamedUserServer.User}'", stderr, StringComparison.Ordinal);
        Assert.Contains("Redis:Password", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(NamedUserServer.WrongPassword, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ServerKinds))]
    public async Task Info_shows_the_user_the_connection_runs_as(string kind)
    {
        await using var server = await NamedUserServer.StartAsync(kind, TestContext.Current.CancellationToken);
        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "info", "--redis", server.Endpoint, "--user", NamedUserServer.User, "--password", NamedUserServer.RightPassword);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Matches($@"(?m)^user\s+{NamedUserServer.User}$", stdout);
    }
}
