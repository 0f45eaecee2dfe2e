namespace RedisFlow.Cli.Tests.Daemon;

/// <summary><c>redisflow demo</c> (the README's "run the main job") on the embedded defaults.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_caches_its_sample_files_lists_them_and_exits_0()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("redisflow-demo-").FullName;
        try
        {
            await using var demo = CliRunner.Launch(new Dictionary<string, string?>(), "demo", "--data", data);

            var exit = await demo.WaitForExitAsync(TimeSpan.FromSeconds(120), ct);

            Assert.True(exit == 0, $"exit {exit}: {demo.Output} {demo.Error}");
            Assert.Contains("all 6 files cached", demo.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("BYTES DIFFER", demo.Output, StringComparison.Ordinal);
            Assert.Contains("/handbook.docx", demo.Output, StringComparison.Ordinal);
            Assert.Matches(@"dataset\.csv\s+8\.00 MiB\s+1[12]m\d\ds", demo.Output);
            Assert.True(File.Exists(Path.Combine(data, "tasks.db")));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
