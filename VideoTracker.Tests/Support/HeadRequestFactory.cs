using VideoTracker.Core.Export;

namespace VideoTracker.Tests.Support;

/// <summary>The app with one more export format, which counts how often it is written.</summary>
public sealed class HeadRequestFactory : VideoTrackerAppFactory
{
    public HeadRequestFactory() => ConfigureServices = services => services.AddSingleton<IResultExporter>(Exporter);

    public CountingExporter Exporter { get; } = new();

    public sealed class CountingExporter : IResultExporter
    {
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        public string Format => "counted";

        public string ContentType => "text/plain";

        public string FileName(Guid jobId) => $"counted-{jobId:N}.txt";

        public async Task WriteAsync(JobResults results, Stream output, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _writes);
            await output.WriteAsync("counted\n"u8.ToArray(), cancellationToken);
        }
    }
}
