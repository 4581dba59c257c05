namespace VideoTracker.Core.Detection;

/// <summary>Turns a raw output tensor into scored boxes in source pixels (before NMS).</summary>
public static class YoloDecoder
{
    /// <summary>
    /// Adds every box whose score reaches <paramref name="threshold"/> to <paramref name="into"/>. With
    /// <paramref name="onlyClass"/> only that class is scored; otherwise each box takes its best class.
    /// </summary>
    public static void Decode(ReadOnlySpan<float> output, ModelSpec spec, in Letterbox letterbox, float threshold, int? onlyClass, List<Candidate> into)
    {
        if (output.Length < spec.OutputLength)
        {
            throw new ArgumentException($"The output has {output.Length} values; {spec.OutputLength} were expected.", nameof(output));
        }

        if (spec.Format == ModelFormat.Yolox)
        {
            DecodeYolox(output, spec, letterbox, threshold, onlyClass, into);
        }
        else
        {
            DecodeYoloV8(output, spec, letterbox, threshold, onlyClass, into);
        }
    }

    /// <summary>Rows <c>[tx, ty, tw, th, obj, cls...]</c> in stride order 8, 16, 32, row-major grids; no anchors, no 0.5 offset.</summary>
    private static void DecodeYolox(ReadOnlySpan<float> output, ModelSpec spec, in Letterbox letterbox, float threshold, int? onlyClass, List<Candidate> into)
    {
        var width = 5 + spec.ClassCount;
        var row = 0;
        foreach (var stride in ModelSpec.YoloxStrides)
        {
            var gw = spec.InputWidth / stride;
            var gh = spec.InputHeight / stride;
            for (var gy = 0; gy < gh; gy++)
            {
                for (var gx = 0; gx < gw; gx++, row++)
                {
                    var r = output.Slice(row * width, width);
                    var objectness = r[4];
                    if (objectness < threshold)
                    {
                        continue;
                    }

                    var (classId, classScore) = BestClass(r[5..], onlyClass);
                    var score = objectness * classScore;
                    if (score < threshold)
                    {
                        continue;
                    }

                    var cx = (r[0] + gx) * stride;
                    var cy = (r[1] + gy) * stride;
                    var w = MathF.Exp(r[2]) * stride;
                    var h = MathF.Exp(r[3]) * stride;
                    Add(into, letterbox, cx, cy, w, h, score, classId);
                }
            }
        }
    }

    /// <summary>Channels-first <c>[4 + nc, N]</c>: <c>cx, cy, w, h</c> in input pixels, then class scores.</summary>
    private static void DecodeYoloV8(ReadOnlySpan<float> output, ModelSpec spec, in Letterbox letterbox, float threshold, int? onlyClass, List<Candidate> into)
    {
        var n = spec.Rows;
        for (var i = 0; i < n; i++)
        {
            int classId;
            float score;
            if (onlyClass is { } only)
            {
                classId = only;
                score = output[((4 + only) * n) + i];
            }
            else
            {
                classId = 0;
                score = float.MinValue;
                for (var k = 0; k < spec.ClassCount; k++)
                {
                    var s = output[((4 + k) * n) + i];
                    if (s > score)
                    {
                        score = s;
                        classId = k;
                    }
                }
            }

            if (score < threshold)
            {
                continue;
            }

            Add(into, letterbox, output[i], output[n + i], output[(2 * n) + i], output[(3 * n) + i], score, classId);
        }
    }

    private static (int ClassId, float Score) BestClass(ReadOnlySpan<float> scores, int? onlyClass)
    {
        if (onlyClass is { } only)
        {
            return (only, scores[only]);
        }

        var best = 0;
        for (var k = 1; k < scores.Length; k++)
        {
            if (scores[k] > scores[best])
            {
                best = k;
            }
        }

        return (best, scores[best]);
    }

    private static void Add(List<Candidate> into, in Letterbox letterbox, float cx, float cy, float w, float h, float score, int classId)
    {
        var (x1, y1, x2, y2) = letterbox.ToSource(cx - (w / 2), cy - (h / 2), cx + (w / 2), cy + (h / 2));
        if (x2 > x1 && y2 > y1)
        {
            into.Add(new Candidate(x1, y1, x2, y2, score, classId));
        }
    }
}
