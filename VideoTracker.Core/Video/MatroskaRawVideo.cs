using System.Buffers.Binary;
using System.Text;

namespace VideoTracker.Core.Video;

/// <summary>
/// The smallest Matroska stream that carries raw BGR frames with their own timestamps, written to ffmpeg's
/// stdin so an encode keeps each frame's presentation time (a raw pipe has none, so ffmpeg would space the
/// frames evenly and a variable-frame-rate clip would drift). One video track of 24-bit top-down BGR (a VFW
/// BITMAPINFOHEADER, as ffmpeg's own muxer writes raw RGB), a segment of unknown size (the stream ends when
/// the pipe closes), and one cluster per frame, its time in microseconds.
/// </summary>
internal static class MatroskaRawVideo
{
    /// <summary>Bytes before a frame's pixels: the cluster, its timestamp and the block's head.</summary>
    public const int FrameHeaderBytes = 4 + 8 + 1 + 8 + 8 + 1 + 8 + 4;

    private const long TimestampScaleNs = 1_000; // cluster timestamps in microseconds
    private const int BitmapInfoHeaderBytes = 40;

    /// <summary>
    /// The stream's head: EBML header, the open segment, its info and the one track of
    /// <paramref name="width"/>×<paramref name="height"/> frames. <paramref name="fps"/> gives each frame's
    /// nominal duration, which only the last frame's length in the output comes from.
    /// </summary>
    public static byte[] Header(int width, int height, double fps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var bitmap = new byte[BitmapInfoHeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(bitmap, BitmapInfoHeaderBytes);
        BinaryPrimitives.WriteInt32LittleEndian(bitmap.AsSpan(4), width);
        BinaryPrimitives.WriteInt32LittleEndian(bitmap.AsSpan(8), -height); // negative: rows top-down, as OpenCV holds them
        BinaryPrimitives.WriteInt16LittleEndian(bitmap.AsSpan(12), 1); // planes
        BinaryPrimitives.WriteInt16LittleEndian(bitmap.AsSpan(14), 24); // bits per pixel, BI_RGB
        BinaryPrimitives.WriteInt32LittleEndian(bitmap.AsSpan(20), width * height * 3);

        var frameNs = (ulong)Math.Round(1e9 / FrameLoop.UsableFps(fps));
        var track = Element(0xAE,
            UInt(0xD7, 1), // TrackNumber
            UInt(0x73C5, 1), // TrackUID
            UInt(0x83, 1), // TrackType: video
            Text(0x86, "V_MS/VFW/FOURCC"), // CodecID
            Element(0x63A2, bitmap), // CodecPrivate
            UInt(0x23E383, frameNs), // DefaultDuration
            Element(0xE0, UInt(0xB0, (ulong)width), UInt(0xBA, (ulong)height))); // Video: PixelWidth, PixelHeight
        return
        [
            .. Element(0x1A45DFA3, // EBML
                UInt(0x4286, 1), UInt(0x42F7, 1), UInt(0x42F2, 4), UInt(0x42F3, 8),
                Text(0x4282, "matroska"), UInt(0x4287, 4), UInt(0x4285, 2)),
            .. Id(0x18538067), 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // Segment of unknown size
            .. Element(0x1549A966, UInt(0x2AD7B1, TimestampScaleNs), Text(0x4D80, "VideoTracker"), Text(0x5741, "VideoTracker")), // Info
            .. Element(0x1654AE6B, track), // Tracks
        ];
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> the <see cref="FrameHeaderBytes"/> that go before one frame of
    /// <paramref name="frameBytes"/> pixels shown at <paramref name="timestampMs"/>: a cluster at that time holding
    /// one key-frame block of track 1.
    /// </summary>
    public static void WriteFrameHeader(Span<byte> destination, double timestampMs, int frameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, FrameHeaderBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(timestampMs);
        var blockBytes = 4 + frameBytes;
        var clusterBytes = 1 + 8 + 8 + 1 + 8 + blockBytes;
        var at = 0;
        at += WriteId(destination[at..], 0x1F43B675); // Cluster
        at += WriteSize(destination[at..], clusterBytes);
        destination[at++] = 0xE7; // Timestamp, as 8 bytes
        at += WriteSize(destination[at..], 8);
        BinaryPrimitives.WriteUInt64BigEndian(destination[at..], (ulong)Math.Round(timestampMs * 1_000_000 / TimestampScaleNs));
        at += 8;
        destination[at++] = 0xA3; // SimpleBlock
        at += WriteSize(destination[at..], blockBytes);
        destination[at++] = 0x81; // track 1
        destination[at++] = 0; // time relative to the cluster: 0
        destination[at++] = 0;
        destination[at] = 0x80; // key frame
    }

    private static byte[] Element(uint id, params byte[][] children)
    {
        var payload = children.SelectMany(c => c).ToArray();
        var element = new byte[IdBytes(id) + 8 + payload.Length];
        var at = WriteId(element, id);
        at += WriteSize(element.AsSpan(at), payload.Length);
        payload.CopyTo(element, at);
        return element;
    }

    private static byte[] UInt(uint id, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return Element(id, bytes);
    }

    private static byte[] Text(uint id, string value) => Element(id, Encoding.ASCII.GetBytes(value));

    private static byte[] Id(uint id)
    {
        var bytes = new byte[IdBytes(id)];
        WriteId(bytes, id);
        return bytes;
    }

    /// <summary>An element id keeps its own length marker, so it is written as its bytes.</summary>
    private static int IdBytes(uint id) => id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;

    private static int WriteId(Span<byte> destination, uint id)
    {
        var length = IdBytes(id);
        for (var i = 0; i < length; i++)
        {
            destination[i] = (byte)(id >> (8 * (length - 1 - i)));
        }

        return length;
    }

    /// <summary>A size as an 8-byte EBML variable-length integer (marker 0x01, then 7 bytes).</summary>
    private static int WriteSize(Span<byte> destination, long size)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, size);
        destination[0] = 0x01;
        return 8;
    }
}
