namespace VideoTracker.Tests.Tracking;

public sealed class TrackRefinerTests
{
    private static DetectedObject Box(int id, float x, float confidence = 0.9f) => new(x, 10, x + 20, 50, confidence, 0, "person", id);

    private static List<FrameDetections> Run(TrackRefiner refiner, params DetectedObject[][] frames)
    {
        var written = new List<FrameDetections>();
        for (var i = 0; i < frames.Length; i++)
        {
            written.AddRange(refiner.Push(new FrameDetections(i, i * 100, frames[i])));
        }

        written.AddRange(refiner.Complete());
        return written;
    }

    [Fact]
    public void Push_TrackFoundAgainWithinTheGap_FillsTheMissedFramesLinearlyAndMarksThem()
    {
        var written = Run(new TrackRefiner(maxGap: 5, minLength: 1, lostFrames: 6), [Box(1, 0)], [], [], [Box(1, 30, 0.6f)]);

        Assert.Equal([0, 1, 2, 3], written.Select(f => f.FrameIndex));
        var filled = written[1].Detections.Single();
        Assert.True(filled.Interpolated);
        Assert.Equal((10f, 1, 0.6f), (filled.X1, filled.TrackId!.Value, filled.Confidence));
        Assert.Equal(20f, written[2].Detections.Single().X1);
        Assert.False(written[3].Detections.Single().Interpolated);
    }

    [Fact]
    public void Push_GapLongerThanTheLimit_IsLeftEmpty()
    {
        var written = Run(new TrackRefiner(maxGap: 1, minLength: 1, lostFrames: 6), [Box(1, 0)], [], [], [Box(1, 30)]);

        Assert.Empty(written[1].Detections);
        Assert.Empty(written[2].Detections);
    }

    [Fact]
    public void Push_ShortTrack_IsDroppedAndLongOnesKept()
    {
        var written = Run(new TrackRefiner(maxGap: 0, minLength: 3, lostFrames: 6), [Box(1, 0), Box(2, 100)], [Box(1, 1)], [Box(1, 2)], [Box(1, 3)]);

        Assert.All(written.SelectMany(f => f.Detections), d => Assert.Equal(1, d.TrackId));
        Assert.Equal(4, written.Sum(f => f.Detections.Count));
    }

    [Fact]
    public void Push_BothOff_HoldsNothingBack()
    {
        var refiner = new TrackRefiner(maxGap: 0, minLength: 1, lostFrames: 6);

        Assert.Equal(0, refiner.HoldLimit);
        Assert.Single(refiner.Push(new FrameDetections(0, 0, [Box(1, 0)])));
    }

    [Fact]
    public void Push_LongTrackWithAMissingFrameAndAMinimumLength_KeepsEveryBoxFromTheFirst()
    {
        // The reviewer's case: 148 boxes with one frame missing, min_track_length 20, no interpolation. Beside it, a track
        // of 10 + 5 boxes around a gap ends short of 20 and goes whole.
        var frames = Enumerable.Range(0, 200).Select(f => new List<DetectedObject>()).ToList();
        foreach (var f in Enumerable.Range(0, 149).Where(f => f != 7))
        {
            frames[f].Add(Box(1, f));
        }

        foreach (var f in Enumerable.Range(30, 10).Concat(Enumerable.Range(45, 5)))
        {
            frames[f].Add(Box(2, 300 + f));
        }

        var written = Run(new TrackRefiner(maxGap: 0, minLength: 20, lostFrames: 11), [.. frames.Select(f => f.ToArray())]);

        Assert.Equal(Enumerable.Range(0, 200), written.Select(f => f.FrameIndex));
        var kept = written.SelectMany(f => f.Detections.Select(d => (f.FrameIndex, d.TrackId))).ToList();
        Assert.Equal(Enumerable.Range(0, 149).Where(f => f != 7), kept.Where(k => k.TrackId == 1).Select(k => k.FrameIndex));
        Assert.DoesNotContain(kept, k => k.TrackId == 2);
    }

    [Fact]
    public void Push_TrackThatKeepsComingBackShortOfTheMinimum_IsHeldNoLongerThanTheLimitAndKeptWhole()
    {
        // One box every 11 frames (the most the tracker allows with lostFrames 11), 8 of them, against a minimum of 20.
        var refiner = new TrackRefiner(maxGap: 0, minLength: 20, lostFrames: 11);
        var frames = Enumerable.Range(0, 120).Select(f => f % 11 == 0 && f < 88 ? new[] { Box(1, f) } : []).ToArray();

        var released = new List<(int Pushed, FrameDetections Frame)>();
        for (var i = 0; i < frames.Length; i++)
        {
            released.AddRange(refiner.Push(new FrameDetections(i, i * 100, frames[i])).Select(f => (i, f)));
        }

        Assert.Equal(20 + (2 * 11), refiner.HoldLimit);
        Assert.All(released, r => Assert.InRange(r.Pushed - r.Frame.FrameIndex, 0, refiner.HoldLimit));
        Assert.Equal(8, released.Sum(r => r.Frame.Detections.Count) + refiner.Complete().Sum(f => f.Detections.Count));
    }

    /// <summary>One random scene: tracks with gaps whose sum is at most <c>lostFrames</c>, so no frame needs the hold limit.</summary>
    private static (int Frames, Dictionary<int, List<int>> Seen) RandomScene(Random random, int lostFrames)
    {
        var frames = 150;
        var seen = new Dictionary<int, List<int>>();
        for (var id = 1; id <= random.Next(1, 12); id++)
        {
            var positions = new List<int>();
            var position = random.Next(0, frames - 1);
            var gapLeft = lostFrames;
            for (var boxes = random.Next(1, 45); boxes > 0 && position < frames; boxes--)
            {
                positions.Add(position);
                var gap = random.Next(4) == 0 ? random.Next(0, Math.Min(gapLeft, lostFrames) + 1) : 0;
                gapLeft -= gap;
                position += 1 + gap;
            }

            seen[id] = positions;
        }

        return (frames, seen);
    }

    [Fact]
    public void Push_RandomTracksWithGaps_KeepsABoxExactlyWhenItsWholeTrackReachesTheMinimum()
    {
        const int lostFrames = 11;
        for (var seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var (frames, seen) = RandomScene(random, lostFrames);
            var maxGap = new[] { 0, 3, 10 }[random.Next(3)];
            var minLength = new[] { 1, 2, 5, 20, 40 }[random.Next(5)];

            // Brute force over whole tracks: each detected box, each gap of at most maxGap filled, then the track's total decides.
            var expected = new SortedSet<(int Frame, int Id, bool Interpolated)>();
            foreach (var (id, positions) in seen)
            {
                var boxes = positions.Select(p => (p, id, false)).ToList();
                foreach (var (a, b) in positions.Zip(positions.Skip(1)).Where(p => p.Second - p.First - 1 is > 0 and var g && g <= maxGap))
                {
                    boxes.AddRange(Enumerable.Range(a + 1, b - a - 1).Select(p => (p, id, true)));
                }

                if (boxes.Count >= minLength)
                {
                    expected.UnionWith(boxes);
                }
            }

            var input = Enumerable.Range(0, frames).Select(f => seen.Where(t => t.Value.Contains(f)).Select(t => Box(t.Key, f)).ToArray()).ToArray();
            var written = Run(new TrackRefiner(maxGap, minLength, lostFrames), input);

            Assert.Equal(Enumerable.Range(0, frames), written.Select(f => f.FrameIndex));
            var actual = written.SelectMany(f => f.Detections.Select(d => (f.FrameIndex, d.TrackId!.Value, d.Interpolated))).ToList();
            Assert.True(expected.SetEquals(actual) && actual.Count == expected.Count, $"seed {seed} (maxGap {maxGap}, minLength {minLength}): the refiner kept [{string.Join(' ', actual.Except(expected))}] more and [{string.Join(' ', expected.Except(actual))}] fewer than the whole tracks say.");
        }
    }

    [SharedAssetFact(SharedAsset.Tracking)]
    public void Push_TheTrackersOutputOnVtestDetections_KeepsExactlyTheTracksThatEndWithTheMinimum()
    {
        // Real tracks (the port on the fixture's detections, at the clip's 10 fps), min_track_length 20, with and without filling.
        var detections = ByteTrackerConformanceTests.ReadByFrame(Path.Combine(TestClips.TrackingFixtures, "vtest_detections.txt"));
        foreach (var interpolate in new[] { false, true })
        {
            var options = new ByteTrackerOptions { FrameRate = 10 };
            var tracker = new ByteTracker(options);
            var refiner = TrackRefiner.For(options, interpolate, minLength: 20);
            var raw = new List<FrameDetections>();
            var written = new List<FrameDetections>();
            for (var f = 0; f < ByteTrackerConformanceTests.VtestFrames; f++)
            {
                var input = detections.GetValueOrDefault(f + 1, []).Select(r => new TrackerInput(r.Left, r.Top, r.Left + r.Width, r.Top + r.Height, r.Score)).ToArray();
                var frame = new FrameDetections(f, f * 100, [.. tracker.Update(input).Select(t => new DetectedObject((float)t.X1, (float)t.Y1, (float)t.X2, (float)t.Y2, (float)t.Score, 0, "person", t.TrackId))]);
                raw.Add(frame);
                written.AddRange(refiner.Push(frame));
            }

            written.AddRange(refiner.Complete());

            // Whole-track lengths from the tracker's whole output, filled gaps counted as the refiner fills them.
            var lengths = raw.SelectMany(f => f.Detections.Select(d => (f.FrameIndex, Id: d.TrackId!.Value))).GroupBy(b => b.Id).ToDictionary(
                g => g.Key,
                g => g.Count() + (interpolate ? g.Zip(g.Skip(1)).Sum(p => p.Second.FrameIndex - p.First.FrameIndex - 1 is var gap && gap <= options.MaxTimeLost ? gap : 0) : 0));
            var expected = raw.SelectMany(f => f.Detections.Where(d => lengths[d.TrackId!.Value] >= 20).Select(d => (f.FrameIndex, d.TrackId!.Value))).ToList();
            Assert.Equal(expected, written.SelectMany(f => f.Detections.Where(d => !d.Interpolated).Select(d => (f.FrameIndex, d.TrackId!.Value))));
            Assert.Contains(lengths, l => l.Value < 20);
        }
    }

    [SharedAssetFact(SharedAsset.Tracking)]
    public void Update_VtestDetections_NeverShowsATrackAgainAfterFramesUntilGone()
    {
        // The refiner's "ended" rests on this: after FramesUntilGone frames unseen, an id never comes back. Short buffers make many ends.
        var detections = ByteTrackerConformanceTests.ReadByFrame(Path.Combine(TestClips.TrackingFixtures, "vtest_detections.txt"));
        foreach (var buffer in new[] { 3, 9, 30 })
        {
            var options = new ByteTrackerOptions { FrameRate = 10, TrackBuffer = buffer };
            var tracker = new ByteTracker(options);
            var last = new Dictionary<int, int>();
            var longest = 0;
            for (var f = 1; f <= ByteTrackerConformanceTests.VtestFrames; f++)
            {
                var input = detections.GetValueOrDefault(f, []).Select(r => new TrackerInput(r.Left, r.Top, r.Left + r.Width, r.Top + r.Height, r.Score)).ToArray();
                foreach (var t in tracker.Update(input))
                {
                    if (last.TryGetValue(t.TrackId, out var previous))
                    {
                        longest = Math.Max(longest, f - previous - 1);
                    }

                    last[t.TrackId] = f;
                }
            }

            Assert.InRange(longest, 1, options.FramesUntilGone);
        }
    }

    [Fact]
    public void Update_ObservationCentricReupdate_FoundAgainAfterAGapWithTheNewBox()
    {
        // A box walks right, vanishes for 4 frames, and comes back further on: both ways keep the id;
        // with the re-update, the track's velocity afterwards follows the observed path.
        foreach (var reupdate in new[] { false, true })
        {
            var tracker = new ByteTracker(new ByteTrackerOptions { ObservationCentricReupdate = reupdate });
            var id = 0;
            for (var f = 0; f < 10; f++)
            {
                id = tracker.Update([new TrackerInput(100 + (f * 4), 50, 140 + (f * 4), 130, 0.9)]).Single().TrackId;
            }

            for (var f = 10; f < 14; f++)
            {
                tracker.Update([]);
            }

            var back = tracker.Update([new TrackerInput(100 + (14 * 4), 50, 140 + (14 * 4), 130, 0.9)]).Single();
            Assert.Equal(id, back.TrackId);
            Assert.InRange(back.X1, 100 + (14 * 4) - 2, 100 + (14 * 4) + 2);
        }
    }
}
