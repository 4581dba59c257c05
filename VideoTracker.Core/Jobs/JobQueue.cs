using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// A bounded channel of job ids. It only signals that there is work: the database row is the truth,
/// and a worker claims the row before it runs anything. An id is never queued twice at once.
/// </summary>
public sealed class JobQueue
{
    private readonly Channel<Guid> _channel;
    private readonly ConcurrentDictionary<Guid, byte> _queued = new();

    public JobQueue(IOptions<JobsOptions> options)
        : this(options.Value.QueueCapacity)
    {
    }

    public JobQueue(int capacity)
    {
        Capacity = capacity;
        _channel = Channel.CreateBounded<Guid>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    public int Capacity { get; }

    public int Count => _queued.Count;

    /// <summary>Queues the id unless it is queued already. False when the queue is full.</summary>
    public bool TryEnqueue(Guid jobId)
    {
        if (!_queued.TryAdd(jobId, 0))
        {
            return true;
        }

        if (_channel.Writer.TryWrite(jobId))
        {
            return true;
        }

        _queued.TryRemove(jobId, out _);
        return false;
    }

    public async IAsyncEnumerable<Guid> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var id in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            _queued.TryRemove(id, out _);
            yield return id;
        }
    }
}
