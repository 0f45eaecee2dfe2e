using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RedisFlow.Dashboard.Data;

/// <summary>Samples the queues every <see cref="DashboardOptions.SampleInterval"/>, so a sparkline has history when a page opens.</summary>
internal sealed partial class QueueSamplingService(QueueSampler sampler, IOptions<DashboardOptions> options, ILogger<QueueSamplingService> logger) : BackgroundService
{
    private static readonly TimeSpan Rediscover = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval);
        do
        {
            try
            {
                await sampler.SampleAsync(Rediscover, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Redis down or slow: the pages say so; the next tick tries again.
                SampleFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Debug, Message = "Queue sample failed; trying again next interval")]
    private static partial void SampleFailed(ILogger logger, Exception exception);
}
