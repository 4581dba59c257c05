using Microsoft.Extensions.Logging;

namespace VideoTracker.Tests.Support;

/// <summary>
/// Keeps every message the app logs, as <c>Level Category: message</c> (and the exception's type on a line of its own
/// when there is one), for tests that read what an operator's console would show. Add it with
/// <c>services.AddSingleton&lt;ILoggerProvider&gt;(provider)</c>.
/// </summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    /// <summary>Each entry: <c>Level Category</c>, the formatted message, and the exception if any.</summary>
    private readonly List<(string Source, string Message, Exception? Exception)> _entries = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries.SelectMany(e => e.Exception is null
                    ? [$"{e.Source}: {e.Message}"]
                    : new[] { $"{e.Source}: {e.Message}", $"{e.Source}: exception {e.Exception.GetType().FullName}" })];
            }
        }
    }

    /// <summary>Each message as it was formatted, without level or category (what <see cref="ListLogger{T}"/> shows).</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries.Select(e => e.Message)];
            }
        }
    }

    public int Count(string text) => Lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits until a line holds <paramref name="text"/>; fails the test with every line after <paramref name="timeoutSeconds"/>.</summary>
    public async Task WaitForAsync(string text, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (Count(text) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No log line held \"{text}\" within {timeoutSeconds} s:\n{string.Join('\n', Lines)}");
            await Task.Delay(50);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string source, string message, Exception? exception)
    {
        lock (_entries)
        {
            _entries.Add((source, message, exception));
        }
    }

    private sealed class Logger(ListLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            provider.Add($"{logLevel} {category}", formatter(state, exception), exception);
        }
    }
}
