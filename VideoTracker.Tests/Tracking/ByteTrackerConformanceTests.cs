namespace VideoTracker.Tests.Tracking;

/// <summary>
/// The port against the official ByteTrack's output on the same detections (../shared/tracking, settings
/// from its README): same ids and boxes, frame by frame.
/// </summary>
public sealed class ByteTrackerConformanceTests
{
    public const int VtestFrames = 795;

    [SharedAssetFact(SharedAsset.Tracking)]
    public void Update_VtestDetections_ReproducesTheOfficialImplementationFrameByFrame()
    {
        var detections = ReadByFrame(Path.Combine(TestClips.TrackingFixtures, "vtest_detections.txt"));
        var reference = ReadByFrame(Path.Combine(TestClips.TrackingFixtures, "vtest_bytetrack_reference.txt"));
        var tracker = new ByteTracker(new ByteTrackerOptions { TrackThreshold = 0.5, MatchThreshold = 0.8, TrackBuffer = 30, FrameRate = 10 });

        var compared = 0;
        for (var frame = 1; frame <= VtestFrames; frame++)
        {
            var input = detections.GetValueOrDefault(frame, []).Select(r => new TrackerInput(r.Left, r.Top, r.Left + r.Width, r.Top + r.Height, r.Score)).ToArray();
            var output = tracker.Update(input).ToDictionary(t => t.TrackId);
            var expected = reference.GetValueOrDefault(frame, []);

            Assert.True(
                expected.Select(r => r.Id).Order().SequenceEqual(output.Keys.Order()),
                $"frame {frame}: expected ids [{string.Join(",", expected.Select(r => r.Id).Order())}], got [{string.Join(",", output.Keys.Order())}]");
            foreach (var r in expected)
            {
                var t = output[r.Id];
                var worst = new[] { t.X1 - r.Left, t.Y1 - r.Top, (t.X2 - t.X1) - r.Width, (t.Y2 - t.Y1) - r.Height }.Max(Math.Abs);
                Assert.True(worst <= 0.05, $"frame {frame}, id {r.Id}: box ({t.X1:F2},{t.Y1:F2},{t.X2 - t.X1:F2},{t.Y2 - t.Y1:F2}) vs reference ({r.Left},{r.Top},{r.Width},{r.Height})");
                Assert.Equal(r.Score, t.Score, 3);
                compared++;
            }
        }

        Assert.Equal(4693, compared);
    }

    public readonly record struct Row(int Frame, int Id, double Left, double Top, double Width, double Height, double Score);

    public static Dictionary<int, List<Row>> ReadByFrame(string path) =>
        File.ReadLines(path)
            .Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray())
            .Select(f => new Row((int)f[0], (int)f[1], f[2], f[3], f[4], f[5], f[6]))
            .GroupBy(r => r.Frame)
            .ToDictionary(g => g.Key, g => g.ToList());
}
