using OpenCvSharp;

namespace VideoTracker.Tests.Support;

/// <summary>Small, deterministic clips written with OpenCV's VideoWriter, for fast tests.</summary>
public static class TestClips
{
    /// <summary>
    /// Writes an MJPEG AVI of <paramref name="frames"/> frames: a grey background with a white square
    /// moving left to right, so motion detection finds one blob per frame after the first few.
    /// </summary>
    public static string MovingSquare(string directory, int frames = 40, int width = 160, int height = 120, double fps = 10, string name = "clip.avi")
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        using var writer = new VideoWriter(path, FourCC.MJPG, fps, new Size(width, height));
        if (!writer.IsOpened())
        {
            throw new InvalidOperationException("OpenCV could not open a VideoWriter for MJPEG.");
        }

        using var frame = new Mat(height, width, MatType.CV_8UC3);
        var side = Math.Max(8, height / 5);
        for (var i = 0; i < frames; i++)
        {
            frame.SetTo(new Scalar(60, 60, 60));
            var x = (int)((width - side) * (i / (double)Math.Max(1, frames - 1)));
            Cv2.Rectangle(frame, new Rect(x, (height - side) / 2, side, side), Scalar.White, -1);
            writer.Write(frame);
        }

        return path;
    }

    /// <summary>Copies the first <paramref name="length"/> bytes of a clip: a file truncated part-way.</summary>
    public static string Truncated(string source, string directory, double keepFraction, string name = "truncated.avi")
    {
        var bytes = File.ReadAllBytes(source);
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keepFraction)]);
        return path;
    }

    /// <summary>
    /// Rewrites the frame count that an AVI's headers claim (avih, strh and the OpenDML dmlh chunk),
    /// leaving the frames alone: a clip whose header lies about its length.
    /// </summary>
    public static void SetAviHeaderFrameCount(string path, int frames)
    {
        var bytes = File.ReadAllBytes(path);
        var patched = 0;
        patched += Patch(bytes, "avih"u8, 8 + 16, frames);
        patched += Patch(bytes, "strh"u8, 8 + 32, frames);
        patched += Patch(bytes, "dmlh"u8, 8, frames);
        if (patched == 0)
        {
            throw new InvalidOperationException("No AVI header chunk found to patch.");
        }

        File.WriteAllBytes(path, bytes);

        static int Patch(byte[] bytes, ReadOnlySpan<byte> fourcc, int offset, int value)
        {
            var at = bytes.AsSpan().IndexOf(fourcc);
            if (at < 0)
            {
                return 0;
            }

            BitConverter.TryWriteBytes(bytes.AsSpan(at + offset, 4), value);
            return 1;
        }
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VideoTracker.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("VideoTracker.sln not found above the test binaries.");
        }
    }

    /// <summary><c>../shared</c> beside the repo root (development and CI).</summary>
    public static string SharedDirectory => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string SampleClip => Path.Combine(SharedDirectory, "samples", "vtest.avi");

    /// <summary>The tracker and metric fixtures (MOTChallenge text files) described in their README.</summary>
    public static string TrackingFixtures => Path.Combine(SharedDirectory, "tracking");

    public static string ModelPath => Path.Combine(SharedDirectory, "models", "yolox_nano.onnx");
}
