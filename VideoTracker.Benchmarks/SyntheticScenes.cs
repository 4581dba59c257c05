using VideoTracker.Core.Evaluation;
using VideoTracker.Core.Tracking;

namespace VideoTracker.Benchmarks;

/// <summary>
/// Labelled scenes with known trajectories, for measuring trackers without hand labels: people walk at
/// roughly constant speed (with gentle turns) across a 768×576 frame; a simulated detector sees them
/// with jitter, misses some, scores people hidden behind others low or not at all, and adds false
/// positives. The ground truth is every person in frame, occluded or not.
/// </summary>
public sealed class SyntheticScene
{
    public required List<MotBox> GroundTruth { get; init; }

    public required List<TrackerInput[]> Detections { get; init; }

    public required double FrameRate { get; init; }

    public static SyntheticScene Generate(int seed, int people, int frames, double frameRate = 10, double cameraPanPxPerFrame = 0)
    {
        var random = new Random(seed);
        const double Width = 768, Height = 576;
        var walkers = Enumerable.Range(0, people).Select(i => NewWalker(random, i + 1, Width, Height, frameRate)).ToList();
        var truth = new List<MotBox>();
        var detections = new List<TrackerInput[]>();
        var pan = 0.0;
        for (var f = 1; f <= frames; f++)
        {
            pan += cameraPanPxPerFrame;
            var visible = new List<(Walker W, double X1, double Y1, double X2, double Y2)>();
            foreach (var w in walkers)
            {
                w.Step(random, frameRate);
                var x1 = w.X - (w.W / 2) - pan;
                var y1 = w.Y - w.H;
                if (x1 + w.W < 0 || x1 > Width || y1 + w.H < 0 || y1 > Height)
                {
                    continue;
                }

                visible.Add((w, x1, y1, x1 + w.W, y1 + w.H));
                truth.Add(new MotBox(f, w.Id, x1, y1, w.W, w.H, 1));
            }

            var frame = new List<TrackerInput>();
            foreach (var v in visible)
            {
                // Hidden behind someone nearer the camera (lower feet) for more than 40 % of its box?
                var hidden = visible.Where(o => o.W != v.W && o.Y2 > v.Y2).Select(o => Overlap(v, o)).DefaultIfEmpty(0).Max();
                double score;
                if (hidden > 0.6)
                {
                    if (random.NextDouble() < 0.7)
                    {
                        continue;
                    }

                    score = 0.15 + (random.NextDouble() * 0.3);
                }
                else if (hidden > 0.3)
                {
                    score = 0.2 + (random.NextDouble() * 0.4);
                }
                else
                {
                    if (random.NextDouble() < 0.05)
                    {
                        continue;
                    }

                    score = 0.55 + (random.NextDouble() * 0.4);
                }

                var jitter = (v.X2 - v.X1) * 0.04;
                frame.Add(new TrackerInput(
                    v.X1 + Noise(random, jitter), v.Y1 + Noise(random, jitter), v.X2 + Noise(random, jitter), v.Y2 + Noise(random, jitter), score));
            }

            if (random.NextDouble() < 0.3)
            {
                var x = random.NextDouble() * (Width - 40);
                var y = random.NextDouble() * (Height - 90);
                frame.Add(new TrackerInput(x, y, x + 30 + (random.NextDouble() * 20), y + 70 + (random.NextDouble() * 40), 0.1 + (random.NextDouble() * 0.55)));
            }

            detections.Add([.. frame]);
        }

        return new SyntheticScene { GroundTruth = truth, Detections = detections, FrameRate = frameRate };
    }

    private static double Noise(Random random, double scale) => (random.NextDouble() - 0.5) * 2 * scale;

    /// <summary>How much of <paramref name="a"/> is covered by <paramref name="b"/>.</summary>
    private static double Overlap((Walker W, double X1, double Y1, double X2, double Y2) a, (Walker W, double X1, double Y1, double X2, double Y2) b)
    {
        var w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1);
        var h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        return w <= 0 || h <= 0 ? 0 : w * h / ((a.X2 - a.X1) * (a.Y2 - a.Y1));
    }

    private static Walker NewWalker(Random random, int id, double width, double height, double frameRate)
    {
        var speed = (40 + (random.NextDouble() * 60)) / frameRate;   // 40–100 px a second
        var angle = random.NextDouble() * Math.PI * 2;
        var h = 70 + (random.NextDouble() * 60);
        return new Walker
        {
            Id = id,
            X = random.NextDouble() * width,
            Y = (height * 0.3) + (random.NextDouble() * height * 0.7),
            Vx = Math.Cos(angle) * speed,
            Vy = Math.Sin(angle) * speed * 0.5,
            H = h,
            W = h * (0.35 + (random.NextDouble() * 0.1)),
        };
    }

    private sealed class Walker
    {
        public int Id { get; init; }

        public double X { get; set; }

        public double Y { get; set; }

        public double Vx { get; set; }

        public double Vy { get; set; }

        public double W { get; init; }

        public double H { get; init; }

        public void Step(Random random, double frameRate)
        {
            // A gentle turn now and then; bounce off the frame's edges so people stay in view.
            if (random.NextDouble() < 0.5 / frameRate)
            {
                var turn = (random.NextDouble() - 0.5) * 0.8;
                (Vx, Vy) = ((Vx * Math.Cos(turn)) - (Vy * Math.Sin(turn)), (Vx * Math.Sin(turn)) + (Vy * Math.Cos(turn)));
            }

            X += Vx;
            Y += Vy;
            if (X < 20 || X > 748)
            {
                Vx = -Vx;
            }

            if (Y < 150 || Y > 570)
            {
                Vy = -Vy;
            }
        }
    }
}
