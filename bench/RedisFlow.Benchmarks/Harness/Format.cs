using System.Globalization;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>Number formatting for the tables: three significant figures, thousands separated.</summary>
public static class Format
{
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            return "–";
        }

        var abs = Math.Abs(value);
        var format = abs switch
        {
            >= 1000 => "#,0",
            >= 100 => "0",
            >= 10 => "0.0",
            >= 1 => "0.00",
            _ => "0.000",
        };
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string Ratio(double value) =>
        !double.IsFinite(value) ? "–" : value.ToString(value >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + "×";
}
