using System.Collections.Concurrent;
using System.Threading.Channels;

namespace VideoTracker.Core.Webhooks;

/// <summary>
/// The ids of deliveries to send, for <see cref="WebhookDispatcher"/>, each at most once until it is read.
/// <see cref="WebhookResumeSweep"/> queues every minute what is still to send; while a slow receiver keeps the
/// dispatcher's slots busy, the deliveries waiting behind it are still pending, and each pass would add another copy of
/// every one of them.
/// </summary>
internal sealed class WebhookQueue : ChannelReader<Guid>
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Guid, byte> _queued = new();

    /// <summary>Queues <paramref name="id"/> unless it is queued already and not yet read.</summary>
    public void Add(Guid id)
    {
        if (_queued.TryAdd(id, 0))
        {
            _channel.Writer.TryWrite(id);
        }
    }

    public override bool TryRead(out Guid item)
    {
        if (!_channel.Reader.TryRead(out item))
        {
            return false;
        }

        _queued.TryRemove(item, out _);
        return true;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.WaitToReadAsync(cancellationToken);
}
