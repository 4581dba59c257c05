using System.Runtime.InteropServices;

namespace VideoTracker.Tests.Support;

/// <summary>
/// A child process whose wall clock is off the machine's: Debian's libfaketime (package <c>faketime</c>, which
/// scripts/test.sh installs) preloaded into the app, with its offset read from a file the test may change while the
/// process runs (a clock stepped by NTP). Its monotonic clock is left alone, as NTP leaves it.
/// </summary>
public sealed class SkewedClock
{
    private readonly string _file;

    /// <summary>A clock <paramref name="offset"/> off the machine's (libfaketime's form: "-2m", "+90s"), kept in <paramref name="file"/>.</summary>
    public SkewedClock(string file, string offset)
    {
        _file = file;
        Step(offset);
    }

    public static string Library => Path.Combine(
        "/usr/lib",
        RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu",
        "faketime",
        "libfaketime.so.1");

    /// <summary>The app's environment for this clock, to add to its settings.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("LD_PRELOAD", Library),
        new("FAKETIME_TIMESTAMP_FILE", _file),
        new("FAKETIME_NO_CACHE", "1"),
        new("FAKETIME_DONT_FAKE_MONOTONIC", "1"),
    ];

    /// <summary>Sets the offset from now on, as a clock that NTP steps.</summary>
    public void Step(string offset) => File.WriteAllText(_file, offset + "\n");

    /// <summary>Null when a test can run: libfaketime is installed, or this is CI (where the test then fails, never skips).</summary>
    public static string? SkipReason(string? ciVariable) =>
        File.Exists(Library) || string.Equals(ciVariable, "true", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"Needs {Library} (Debian's faketime package; scripts/test.sh installs it).";
}

/// <summary>A fact that needs PostgreSQL and libfaketime (<see cref="SkewedClock"/>): skips where either is missing, except in CI.</summary>
public sealed class PostgresSkewedClockFactAttribute : FactAttribute
{
    public PostgresSkewedClockFactAttribute()
    {
        var ci = Environment.GetEnvironmentVariable("CI");
        Skip = TestPostgres.SkipReason(Environment.GetEnvironmentVariable(TestPostgres.Variable), ci) ?? SkewedClock.SkipReason(ci);
    }
}
