using System.Runtime.InteropServices;
using OpenCvSharp;

namespace VideoTracker.Core.Detection;

/// <summary>
/// Letterboxes a BGR frame into a reused NCHW float tensor, as the model expects: YOLOX takes BGR 0..255
/// at the top-left on a canvas of 114; YOLOv8/YOLO11 take RGB 0..1, centred. Reuses its Mat and buffers,
/// so a frame allocates nothing. Not thread-safe: one per decoding thread.
/// </summary>
public sealed class FramePreprocessor(ModelSpec spec) : IDisposable
{
    private const float PadValue = 114f;
    private readonly Mat _resized = new();
    private byte[] _pixels = [];

    public ModelSpec Spec => spec;

    public float[] CreateInputBuffer() => new float[3 * spec.InputWidth * spec.InputHeight];

    public Letterbox Fill(Mat frame, float[] tensor)
    {
        if (frame.Type() != MatType.CV_8UC3)
        {
            throw new VideoToolException($"Expected 8-bit BGR frames, got {frame.Type()}.");
        }

        var box = spec.LetterboxFor(frame.Width, frame.Height);
        Cv2.Resize(frame, _resized, new Size(box.ResizedWidth, box.ResizedHeight), 0, 0, InterpolationFlags.Linear);
        var rowBytes = box.ResizedWidth * 3;
        var bytes = rowBytes * box.ResizedHeight;
        if (_pixels.Length < bytes)
        {
            _pixels = new byte[bytes];
        }

        if (_resized.IsContinuous())
        {
            Marshal.Copy(_resized.Data, _pixels, 0, bytes);
        }
        else
        {
            for (var y = 0; y < box.ResizedHeight; y++)
            {
                Marshal.Copy(_resized.Ptr(y), _pixels, y * rowBytes, rowBytes);
            }
        }

        FillResized(_pixels.AsSpan(0, bytes), box, tensor);
        return box;
    }

    /// <summary>
    /// Fills the tensor from BGR pixels already scaled to <paramref name="box"/>'s resized size (rows of
    /// <c>ResizedWidth * 3</c> bytes, no gaps), as <see cref="FfmpegFrameReader"/> delivers them.
    /// </summary>
    public void FillResized(ReadOnlySpan<byte> pixels, Letterbox box, float[] tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var plane = spec.InputWidth * spec.InputHeight;
        var rowBytes = box.ResizedWidth * 3;
        if (tensor.Length < 3 * plane)
        {
            throw new ArgumentException("The tensor is smaller than the model's input.", nameof(tensor));
        }

        if (pixels.Length < rowBytes * box.ResizedHeight)
        {
            throw new ArgumentException("The pixels are fewer than the letterbox's resized size.", nameof(pixels));
        }

        var yolox = spec.Format == ModelFormat.Yolox;
        var scale = yolox ? 1f : 1f / 255f;
        tensor.AsSpan(0, 3 * plane).Fill(PadValue * scale);

        // YOLOX keeps OpenCV's BGR order; Ultralytics models want RGB.
        var first = yolox ? 0 : 2 * plane;
        var third = yolox ? 2 * plane : 0;
        var t = tensor.AsSpan();
        for (var y = 0; y < box.ResizedHeight; y++)
        {
            var src = pixels.Slice(y * rowBytes, rowBytes);
            var dst = ((y + box.PadY) * spec.InputWidth) + box.PadX;
            var c0 = t.Slice(first + dst, box.ResizedWidth);
            var c1 = t.Slice(plane + dst, box.ResizedWidth);
            var c2 = t.Slice(third + dst, box.ResizedWidth);
            for (int x = 0, i = 0; x < box.ResizedWidth; x++, i += 3)
            {
                c0[x] = src[i] * scale;
                c1[x] = src[i + 1] * scale;
                c2[x] = src[i + 2] * scale;
            }
        }
    }

    public void Dispose() => _resized.Dispose();
}
