using System.Text;
using RedisFlow.Testing;
using RedisFlow.Testing.Artifacts;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Cli.Tests;

/// <summary>
/// The secret sweep <c>scripts/test.sh</c> runs after the suite (<c>scripts/sweep-secrets.sh</c>) can fail: a planted
/// secret is found in its plain, URL-encoded and base64 forms and named, never printed; and what the sweep reads (child
/// output in the run's artifacts folder, the secrets list) is really written there.
/// </summary>
public sealed class SecretSweepTests
{
    // Characters that URL and base64 encoding change, so each form is a different byte string.
    private const string Planted = "Planted/Secret+Value=42";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("plain")]
    [InlineData("url")]
    [InlineData("base64")]
    public async Task A_planted_secret_is_found_in_each_form_and_named_without_its_value(string form)
    {
        var folder = Directory.CreateTempSubdirectory("redisflow-sweep-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, TestSecrets.ListFileName), $"planted-password\t{Planted}\n", Ct);
        Directory.CreateDirectory(Path.Combine(folder, "processes"));
        await File.WriteAllTextAsync(Path.Combine(folder, "clean.log"), "nothing to see\n", Ct);
        var text = form switch
        {
            "plain" => Planted,
            "url" => Uri.EscapeDataString(Planted),
            _ => Convert.ToBase64String(Encoding.UTF8.GetBytes(Planted)),
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "processes", "leaky.log"), $"connecting with password={text} now\n", Ct);

        var result = await SweepAsync(folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("leaky.log contains the secret named planted-password", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("clean.log", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(text, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Planted, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_folder_passes_and_a_folder_without_a_secrets_list_is_an_error()
    {
        var folder = Directory.CreateTempSubdirectory("redisflow-sweep-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "server.log"), "ready to accept connections\n", Ct);

        var unlisted = await SweepAsync(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, TestSecrets.ListFileName), $"planted-password\t{Planted}\n", Ct);
        var clean = await SweepAsync(folder);

        Assert.Equal(2, unlisted.ExitCode);
        Assert.Contains("secrets.list is missing", unlisted.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, clean.ExitCode);
        Assert.Contains("none found", clean.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Child_output_and_registered_secrets_land_in_the_run_artifacts_folder()
    {
        var marker = $"artifact-marker-{Guid.NewGuid():N}";
        await using (var child = ChildProcess.Start("bash", ["-c", $"echo {marker}"], new ChildProcessOptions { Name = "artifact-check" }))
        {
            Assert.Equal(0, await child.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct));
        }

        var secret = TestSecrets.NewPassword("artifact-check-secret");

        var logs = Directory.GetFiles(Path.Combine(TestArtifacts.Root, "processes"), "artifact-check.stdout*");
        Assert.Contains(logs, file => File.ReadAllText(file).Contains(marker, StringComparison.Ordinal));
        Assert.Contains($"artifact-check-secret\t{secret}", await File.ReadAllLinesAsync(TestSecrets.ListFile, Ct));
    }

    private static Task<ChildProcessResult> SweepAsync(string folder) =>
        ChildProcess.RunAsync("bash", [Path.Combine(RepositoryFiles.Root, "scripts", "sweep-secrets.sh"), folder], TimeSpan.FromSeconds(60), ct: Ct);
}
