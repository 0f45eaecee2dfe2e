using Microsoft.Extensions.Configuration;
using RedisFlow.Queues;

namespace RedisFlow.Tests.Queues;

/// <summary>The queue list and fleet settings of <see cref="QueueWorkerOptions"/>: validation and configuration binding.</summary>
public sealed class QueueWorkerOptionsTests
{
    [Fact]
    public void Exactly_one_of_QueueName_and_QueueNames_is_required_and_the_error_names_the_setting()
    {
        var both = new QueueWorkerOptions { QueueName = "a", QueueNames = { "b" }, GroupName = "g" };
        Assert.Contains("QueueWorker:QueueNames", Assert.Throws<RedisFlowConfigurationException>(both.Validate).Message, StringComparison.Ordinal);
        var none = new QueueWorkerOptions { GroupName = "g" };
        Assert.Contains("QueueWorker:QueueName", Assert.Throws<RedisFlowConfigurationException>(none.Validate).Message, StringComparison.Ordinal);
        var twice = new QueueWorkerOptions { QueueNames = { "a", "a" }, GroupName = "g" };
        Assert.Contains("twice", Assert.Throws<RedisFlowConfigurationException>(twice.Validate).Message, StringComparison.Ordinal);
        var slowBeat = new QueueWorkerOptions { QueueName = "a", GroupName = "g", RegisterAsRagflowExecutor = true, HeartbeatInterval = TimeSpan.FromMinutes(3) };
        Assert.Contains("QueueWorker:HeartbeatInterval", Assert.Throws<RedisFlowConfigurationException>(slowBeat.Validate).Message, StringComparison.Ordinal);
        new QueueWorkerOptions { QueueNames = { "te.1.common", "te.0.common" }, GroupName = "g" }.Validate();
    }

    [Fact]
    public void The_queue_list_and_fleet_settings_bind_from_configuration_in_order()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["QueueWorker:QueueNames:0"] = "te.1.common",
            ["QueueWorker:QueueNames:1"] = "te.0.common",
            ["QueueWorker:GroupName"] = "rag_flow_svr_task_broker",
            ["QueueWorker:ExecutorHeartbeatTimeout"] = "00:01:30",
            ["QueueWorker:RegisterAsRagflowExecutor"] = "true",
            ["QueueWorker:HeartbeatInterval"] = "00:00:15",
        }).Build();
        var options = new QueueWorkerOptions();
        configuration.GetSection("QueueWorker").Bind(options);

        options.Validate();
        Assert.Equal(["te.1.common", "te.0.common"], options.QueueNames);
        Assert.Equal(TimeSpan.FromSeconds(90), options.ExecutorHeartbeatTimeout);
        Assert.True(options.RegisterAsRagflowExecutor);
        Assert.Equal(TimeSpan.FromSeconds(15), options.HeartbeatInterval);
    }
}
