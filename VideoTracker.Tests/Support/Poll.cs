namespace VideoTracker.Tests.Support;

/// <summary>Waiting for what a test cannot be told about: read again until a condition holds, or fail with the last value.</summary>
public static class Poll
{
    /// <summary>
    /// Reads, and reads again every <paramref name="interval"/>, until <paramref name="until"/> holds; after
    /// <paramref name="timeout"/> fails the test with <paramref name="failure"/> of the last value read.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan timeout, TimeSpan interval, Func<T, string> failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        T value;
        do
        {
            value = await read();
            if (until(value))
            {
                return value;
            }

            await Task.Delay(interval);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail(failure(value));
        return value;
    }
}
