using System.Globalization;

namespace RedisFlow.Testing.Processes;

/// <summary>The child's memory as Linux reports it, for tests that bound a daemon's footprint.</summary>
public sealed partial class ChildProcess
{
    /// <summary>A field of <c>/proc/&lt;pid&gt;/status</c> in bytes (VmRSS, VmHWM).</summary>
    public long ProcStatusBytes(string field)
    {
        foreach (var line in File.ReadAllLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"{field} not found in /proc/{_process.Id}/status");
    }

    /// <summary>Resets the peak resident set size (VmHWM) to the current one; false when the kernel refuses.</summary>
    public bool ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

}
