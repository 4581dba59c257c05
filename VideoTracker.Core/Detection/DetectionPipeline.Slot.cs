using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace VideoTracker.Core.Detection;

/// <summary>The reused slots a frame travels in, from the decoder through the lanes to the consumer.</summary>
public sealed partial class DetectionPipeline
{
    /// <summary>The channels a slot travels through once it is decoded.</summary>
    private sealed record Stages(ChannelReader<Slot> Free, ChannelWriter<Slot> ToInfer, ChannelWriter<Slot> InOrder);

    /// <summary>A reused frame, its input and output tensors, its boxes and where it came from.</summary>
    private sealed class Slot : IDisposable
    {
        private byte[]? _pixels;

        public Slot(ModelSpec spec)
        {
            Input = new float[3 * spec.InputWidth * spec.InputHeight];
            InputValue = OrtValue.CreateTensorValueFromMemory(Input, spec.InputShape);
            InputValues = [InputValue];

            // A fixed output shape lets ONNX Runtime write into a reused buffer, one per slot as lanes run at once.
            Output = spec.FixedOutputShape ? new float[spec.OutputLength] : [];
            OutputValue = spec.FixedOutputShape ? OrtValue.CreateTensorValueFromMemory(Output, spec.OutputShape) : null;
            OutputValues = OutputValue is null ? null : [OutputValue];
        }

        /// <summary>The decoded pixels: a whole frame from OpenCV, or a view of <see cref="ViewPixels"/>' buffer.</summary>
        public Mat Frame { get; private set; } = new();

        public float[] Input { get; }

        public OrtValue InputValue { get; }

        public OrtValue[] InputValues { get; }

        public float[] Output { get; }

        public OrtValue? OutputValue { get; }

        public OrtValue[]? OutputValues { get; }

        /// <summary>The model's boxes before NMS, and those NMS kept (what the post-processor gets).</summary>
        public List<Candidate> Candidates { get; } = [];

        public List<Candidate> Kept { get; } = [];

        /// <summary>Set by the lane once <see cref="Kept"/> is filled; new for each analysed frame.</summary>
        public TaskCompletionSource Inferred { get; set; } = new();

        public Letterbox Box { get; set; }

        public int Index { get; set; }

        /// <summary>The frame's presentation time (<see cref="FrameClock"/>).</summary>
        public double TimestampMs { get; set; }

        public bool Analysed { get; set; }

        /// <summary>Frame pixels per source pixel: 1 for a whole frame, the letterbox's scale for ffmpeg's scaled one.</summary>
        public double Scale { get; private set; } = 1;

        /// <summary>
        /// The Mat OpenCV decodes a whole frame into: one of the slot's own, no longer a view of
        /// <see cref="ViewPixels"/>' buffer (a pipeline may decode with both, one run after another).
        /// </summary>
        public Mat WholeFrame()
        {
            if (_pixels is not null)
            {
                _pixels = null;
                Frame.Dispose();
                Frame = new Mat();
            }

            Scale = 1;
            return Frame;
        }

        /// <summary>
        /// A pinned BGR buffer of this size that <see cref="Frame"/> is a view of, made on first use: ffmpeg
        /// reads each frame, scaled by <paramref name="scale"/>, straight into it.
        /// </summary>
        public byte[] ViewPixels(int width, int height, double scale)
        {
            if (_pixels is null || _pixels.Length != width * height * 3)
            {
                _pixels = GC.AllocateArray<byte>(width * height * 3, pinned: true);
                Frame.Dispose();
                Frame = Mat.FromPixelData(height, width, MatType.CV_8UC3, Marshal.UnsafeAddrOfPinnedArrayElement(_pixels, 0));
            }

            Scale = scale;
            return _pixels;
        }

        public void Dispose()
        {
            InputValue.Dispose();
            OutputValue?.Dispose();
            Frame.Dispose();
        }
    }
}
