using OpenCvSharp;
using VideoTracker.Core.Evaluation;
using Xunit.Abstractions;

namespace VideoTracker.Tests.Tracking;

/// <summary>
/// Camera-motion compensation: the warp of a Kalman state, the estimate on frames of vtest.avi seen
/// through a moving window (a camera that pans and shakes by known amounts), and the tracker's ids on
/// that shaking clip with and without compensation.
/// </summary>
public sealed class CameraMotionTests(ITestOutputHelper output)
{
    private const int N = BoxKalmanFilter.StateSize;

    // A window of 640×480 moved inside vtest's 768×576 frame: the camera.
    private const int WindowWidth = 640;
    private const int WindowHeight = 480;

    [Fact]
    public void Warp_Translation_MovesTheCentreAndKeepsVelocitySizeAndCovariance()
    {
        var (mean, covariance) = MovingState();
        var before = covariance.ToArray();

        BoxKalmanFilter.Warp(mean, covariance, CameraMotion.Translation(12, -7));

        Assert.Equal([112, 193, 0.5, 80, 3, -2, 0, 1], mean, new ToleranceComparer(1e-9));
        Assert.Equal(before, covariance, new ToleranceComparer(1e-9));
    }

    [Fact]
    public void Warp_RotationAndScale_TurnsCentreAndVelocityAndScalesHeight()
    {
        var (mean, covariance) = MovingState();
        var before = covariance.ToArray();

        // A quarter turn with scale 2: (x, y) → (−2y, 2x), then moved by (5, 6).
        BoxKalmanFilter.Warp(mean, covariance, new CameraMotion(0, -2, 2, 0, 5, 6));

        Assert.Equal([(-2 * 200) + 5, (2 * 100) + 6, 0.5, 160, 4, 6, 0, 2], mean, new ToleranceComparer(1e-9));

        // Height variance ×4; x and y variances swap and scale by 4; aspect untouched; still symmetric.
        Assert.Equal(before[(3 * N) + 3] * 4, covariance[(3 * N) + 3], 9);
        Assert.Equal(before[(1 * N) + 1] * 4, covariance[0], 9);
        Assert.Equal(before[0] * 4, covariance[(1 * N) + 1], 9);
        Assert.Equal(before[(2 * N) + 2], covariance[(2 * N) + 2], 12);
        for (var r = 0; r < N; r++)
        {
            for (var c = 0; c < N; c++)
            {
                Assert.Equal(covariance[(r * N) + c], covariance[(c * N) + r], 9);
            }
        }
    }

    [Fact]
    public void Update_WithCameraMotion_MatchesABoxThatOnlyTheCameraMoved()
    {
        static TrackerInput Box(double x, double y) => new(x, y, x + 40, y + 80, 0.9);
        var still = new ByteTracker(new ByteTrackerOptions());
        var compensated = new ByteTracker(new ByteTrackerOptions());
        for (var f = 0; f < 5; f++)
        {
            still.Update([Box(100, 100)]);
            compensated.Update([Box(100, 100)], CameraMotion.Identity);
        }

        // The camera jumps 45 px: the person has not moved, but the picture has.
        var withoutMotion = still.Update([Box(55, 100)]);
        var withMotion = compensated.Update([Box(55, 100)], CameraMotion.Translation(-45, 0));

        Assert.Empty(withoutMotion); // the old track is lost and the new detection is not confirmed yet
        Assert.Equal(1, Assert.Single(withMotion).TrackId);
    }

    [SharedAssetFact(SharedAsset.Sample)]
    public void Estimate_VtestFramesSeenThroughAShakingWindow_GivesTheAppliedShift()
    {
        using var estimator = new CameraMotionEstimator();
        var frames = ShakingWindow(60);
        var worst = 0.0;
        try
        {
            for (var k = 0; k < frames.Count; k++)
            {
                var motion = estimator.Estimate(frames[k].Window, []);
                if (k == 0)
                {
                    Assert.Equal(CameraMotion.Identity, motion);
                    continue;
                }

                // Content at p in the source is at p − offset in the window.
                var expectedX = -(frames[k].OffsetX - frames[k - 1].OffsetX);
                var expectedY = -(frames[k].OffsetY - frames[k - 1].OffsetY);
                // Measured where it matters, across the picture: how far the estimate moves its centre and corners.
                foreach (var (x, y) in new[] { (WindowWidth / 2.0, WindowHeight / 2.0), (0.0, 0.0), (WindowWidth, WindowHeight) })
                {
                    var (mx, my) = motion.Apply(x, y);
                    worst = Math.Max(worst, Math.Max(Math.Abs(mx - x - expectedX), Math.Abs(my - y - expectedY)));
                    Assert.True(
                        Math.Abs(mx - x - expectedX) <= 1.0 && Math.Abs(my - y - expectedY) <= 1.0,
                        $"frame {k} at ({x}, {y}): estimated shift ({mx - x:F2}, {my - y:F2}), applied ({expectedX}, {expectedY})");
                }

                Assert.InRange(motion.Scale, 0.99, 1.01);
            }

            output.WriteLine($"worst error over 59 shifts of up to 60 px: {worst:F2} px");
        }
        finally
        {
            frames.ForEach(f => f.Window.Dispose());
        }
    }

    [SharedAssetFact(SharedAsset.Sample | SharedAsset.Tracking)]
    public void Update_ShakingCameraOverVtestDetections_KeepsIdsBetterWithCompensation()
    {
        const int Frames = 150;
        var detections = ByteTrackerConformanceTests.ReadByFrame(Path.Combine(TestClips.TrackingFixtures, "vtest_detections.txt"));
        var reference = ByteTrackerConformanceTests.ReadByFrame(Path.Combine(TestClips.TrackingFixtures, "vtest_bytetrack_reference.txt"));
        var options = new ByteTrackerOptions { FrameRate = 10 };
        var off = new ByteTracker(options);
        var on = new ByteTracker(options);
        using var estimator = new CameraMotionEstimator();
        var offBoxes = new List<MotBox>();
        var onBoxes = new List<MotBox>();
        var frames = ShakingWindow(Frames);
        try
        {
            for (var k = 0; k < frames.Count; k++)
            {
                var (window, ox, oy) = frames[k];
                var input = detections.GetValueOrDefault(k + 1, [])
                    .Select(r => new TrackerInput(r.Left - ox, r.Top - oy, r.Left - ox + r.Width, r.Top - oy + r.Height, r.Score))
                    .ToArray();
                Collect(off.Update(input), k + 1, ox, oy, offBoxes);
                Collect(on.Update(input, estimator.Estimate(window, input)), k + 1, ox, oy, onBoxes);
            }
        }
        finally
        {
            frames.ForEach(f => f.Window.Dispose());
        }

        // Scored against the official tracker's output on the still clip, in source pixels.
        var truth = reference.Where(kv => kv.Key <= Frames).SelectMany(kv => kv.Value).Select(r => new MotBox(r.Frame, r.Id, r.Left, r.Top, r.Width, r.Height, 1)).ToList();
        var withoutCmc = MotEvaluator.Evaluate(truth, offBoxes);
        var withCmc = MotEvaluator.Evaluate(truth, onBoxes);
        output.WriteLine($"off: IDF1 {withoutCmc.Idf1:F3}, MOTA {withoutCmc.Mota:F3}, id switches {withoutCmc.IdSwitches}, ids {withoutCmc.HypIds}");
        output.WriteLine($"on:  IDF1 {withCmc.Idf1:F3}, MOTA {withCmc.Mota:F3}, id switches {withCmc.IdSwitches}, ids {withCmc.HypIds}");

        Assert.True(withCmc.Idf1 > withoutCmc.Idf1 + 0.1, $"IDF1 with compensation {withCmc.Idf1:F3}, without {withoutCmc.Idf1:F3}");
        Assert.True(withCmc.IdSwitches < withoutCmc.IdSwitches, $"id switches with compensation {withCmc.IdSwitches}, without {withoutCmc.IdSwitches}");
        Assert.True(withCmc.HypIds < withoutCmc.HypIds, $"identities with compensation {withCmc.HypIds}, without {withoutCmc.HypIds}");
    }

    private static void Collect(IReadOnlyList<TrackerOutput> tracks, int frame, int ox, int oy, List<MotBox> into) =>
        into.AddRange(tracks.Select(t => new MotBox(frame, t.TrackId, t.X1 + ox, t.Y1 + oy, t.X2 - t.X1, t.Y2 - t.Y1, t.Score)));

    /// <summary>
    /// The first frames of vtest.avi through a 640×480 window that jumps by up to ±30 px each frame
    /// (seeded, so the same every run): a hand-held camera shaking over the scene.
    /// </summary>
    private static List<(Mat Window, int OffsetX, int OffsetY)> ShakingWindow(int count)
    {
        var random = new Random(9);
        using var capture = new VideoCapture(TestClips.SampleClip);
        using var frame = new Mat();
        var frames = new List<(Mat, int, int)>();
        var margin = new Size((768 - WindowWidth) / 2, (576 - WindowHeight) / 2);
        while (frames.Count < count && capture.Read(frame) && !frame.Empty())
        {
            var ox = margin.Width + random.Next(-30, 31);
            var oy = margin.Height + random.Next(-30, 31);
            using var view = new Mat(frame, new Rect(ox, oy, WindowWidth, WindowHeight));
            frames.Add((view.Clone(), ox, oy));
        }

        return frames;
    }

    private static (double[] Mean, double[] Covariance) MovingState()
    {
        var mean = new double[N];
        var covariance = new double[N * N];
        BoxKalmanFilter.Initiate([100, 200, 0.5, 80], mean, covariance);
        mean[4] = 3;
        mean[5] = -2;
        mean[7] = 1;
        BoxKalmanFilter.Predict(mean, covariance); // some cross-covariance between position and velocity
        mean[0] = 100;
        mean[1] = 200;
        mean[3] = 80;
        return (mean, covariance);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
