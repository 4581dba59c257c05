using System.Diagnostics;
using System.Globalization;
using VideoTracker.Core.Evaluation;
using VideoTracker.Core.Plugins;
using VideoTracker.Core.Tracking;

namespace VideoTracker.Benchmarks;

/// <summary>
/// <c>VideoTracker.Benchmarks tracking [--detections vtest_detections.txt]</c>: tracker-only Update
/// time with 10 and 50 objects, and MOTA/IDF1 of the tool's defaults against the faithful ByteTrack
/// baseline (and each option alone) on generated scenes with known trajectories.
/// </summary>
public static class TrackingBenchmark
{
    public sealed record Variant(string Name, bool Interpolate, bool Reupdate, int MinLength);

    public static readonly Variant[] Variants =
    [
        new("faithful ByteTrack (baseline)", false, false, 1),
        new("+ gap interpolation", true, false, 1),
        new("+ OC-SORT re-update", false, true, 1),
        new("+ min track length 3", false, false, 3),
        new("interpolation + re-update", true, true, 1),
        new("all three", true, true, 3),
    ];

    public static int Run(string[] args)
    {
        Console.WriteLine("Tracker only (ByteTracker.Update on generated detections, after a warm-up; medians of 5 runs):");
        for (var w = 0; w < 3; w++)
        {
            TimeUpdates(SyntheticScene.Generate(seed: 99, 30, frames: 600, frameRate: 30));
        }

        foreach (var people in new[] { 10, 50 })
        {
            var scene = SyntheticScene.Generate(seed: 1, people, frames: 600, frameRate: 30);
            var objects = scene.Detections.Average(d => d.Length);
            var ms = Enumerable.Range(0, 5).Select(_ => TimeUpdates(scene)).Order().ElementAt(2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {people,3} people ({objects,5:F1} detections a frame): {ms * 1000,7:F1} µs/frame, {1000 / ms,8:F0} frames/s"));
        }

        var i = Array.IndexOf(args, "--detections");
        if (i >= 0 && i + 1 < args.Length && File.Exists(args[i + 1]))
        {
            var frames = File.ReadLines(args[i + 1]).Select(l => l.Split(',')).GroupBy(f => int.Parse(f[0], CultureInfo.InvariantCulture))
                .Select(g => g.Select(f => new TrackerInput(D(f[2]), D(f[3]), D(f[2]) + D(f[4]), D(f[3]) + D(f[5]), D(f[6]))).ToArray()).ToList();
            var scene = new SyntheticScene { GroundTruth = [], Detections = frames, FrameRate = 10 };
            var ms = Enumerable.Range(0, 5).Select(_ => TimeUpdates(scene)).Order().ElementAt(2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  vtest detections ({frames.Average(f => f.Length):F1} a frame): {ms * 1000,7:F1} µs/frame"));
        }

        Console.WriteLine();
        foreach (var (label, rate, pan) in new[] { ("10 fps, 15 people, static camera", 10.0, 0.0), ("30 fps, 25 people, static camera", 30.0, 0.0) })
        {
            Console.WriteLine($"Quality on generated scenes ({label}; 6 seeds × 400 frames; mean):");
            var people = rate == 10 ? 15 : 25;
            var scenes = Enumerable.Range(100, 6).Select(seed => SyntheticScene.Generate(seed, people, 400, rate, pan)).ToList();
            foreach (var v in Variants)
            {
                var metrics = scenes.Select(s => Evaluate(s, v)).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {v.Name,-32} MOTA {metrics.Average(m => m.Mota):F4}  IDF1 {metrics.Average(m => m.Idf1):F4}  IDsw {metrics.Average(m => m.IdSwitches),6:F1}  FP {metrics.Average(m => m.FalsePositives),6:F1}  FN {metrics.Average(m => m.Misses),7:F1}"));
            }

            Console.WriteLine();
        }

        return 0;
    }

    /// <summary>Runs a variant on a scene, as the tool does (tracker, then refiner), and scores it.</summary>
    public static MotMetrics Evaluate(SyntheticScene scene, Variant v)
    {
        var options = new ByteTrackerOptions { FrameRate = scene.FrameRate, ObservationCentricReupdate = v.Reupdate };
        var tracker = new ByteTracker(options);
        var refiner = TrackRefiner.For(options, v.Interpolate, v.MinLength);
        var hypotheses = new List<MotBox>();
        void Collect(IReadOnlyList<FrameDetections> frames)
        {
            foreach (var f in frames)
            {
                hypotheses.AddRange(f.Detections.Select(d => new MotBox(f.FrameIndex + 1, d.TrackId!.Value, d.X1, d.Y1, d.X2 - d.X1, d.Y2 - d.Y1, d.Confidence)));
            }
        }

        for (var f = 0; f < scene.Detections.Count; f++)
        {
            var tracked = tracker.Update(scene.Detections[f]);
            var detections = tracked.Select(t => new DetectedObject((float)t.X1, (float)t.Y1, (float)t.X2, (float)t.Y2, (float)t.Score, 0, "person", t.TrackId)).ToList();
            Collect(refiner.Push(new FrameDetections(f, f * 100.0, detections)));
        }

        Collect(refiner.Complete());
        return MotEvaluator.Evaluate(scene.GroundTruth, hypotheses);
    }

    private static double TimeUpdates(SyntheticScene scene)
    {
        var tracker = new ByteTracker(new ByteTrackerOptions { FrameRate = scene.FrameRate });
        var watch = Stopwatch.StartNew();
        foreach (var frame in scene.Detections)
        {
            tracker.Update(frame);
        }

        return watch.Elapsed.TotalMilliseconds / scene.Detections.Count;
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
