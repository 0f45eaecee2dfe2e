using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RedisFlow.Diagnostics;

namespace RedisFlow.Testing.Diagnostics;

/// <summary>One measurement: instrument name, value and tags.</summary>
public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

/// <summary>
/// Records measurements of RedisFlow's meters whose tags contain a test's own key (any tag when none is given), so
/// parallel tests do not mix. Observable instruments are read by <see cref="Observe"/>.
/// </summary>
public sealed class MetricCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string? _match;

    /// <summary>Subscribes to every instrument of RedisFlow's meters.</summary>
    public MetricCollector(string? match)
    {
        _match = match;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (RedisFlowInstrumentation.MeterNames.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        _listener.Start();
    }

    /// <summary>Measurements so far.</summary>
    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    /// <summary>The measurements of <paramref name="instrument"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument) => [.. Measurements.Where(m => m.Instrument == instrument)];

    /// <summary>Reads the observable instruments now (their callbacks add measurements).</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        var matched = _match is null;
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
            matched |= tag.Value is string s && s.Contains(_match!, StringComparison.Ordinal);
        }

        if (matched)
        {
            Measurements.Enqueue(new Measurement(instrument.Name, value, copy));
        }
    }
}
