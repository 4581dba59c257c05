using Microsoft.Extensions.Logging;

namespace VideoTracker.Tests.Support;

/// <summary>A logger that keeps each formatted message, for tests that count what a service said it did (a <see cref="ListLoggerProvider"/> of one category).</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ListLoggerProvider _provider = new();
    private readonly ILogger _logger;

    public ListLogger() => _logger = _provider.CreateLogger(typeof(T).FullName!);

    public IReadOnlyList<string> Messages => _provider.Messages;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _logger.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _logger.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _logger.Log(logLevel, eventId, state, exception, formatter);
}
