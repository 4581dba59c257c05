using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenCvSharp;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Detection;

/// <summary>Letterbox, YOLOX and YOLOv8 decoding and NMS: known tensors in, known boxes out.</summary>
public sealed class LetterboxAndDecoderTests
{
    private static readonly ModelSpec YoloxNano = new(ModelFormat.Yolox, "images", "output", 416, 416, 80, 3549, true);

    [Fact]
    public void TopLeft_Vtest768x576_ScalesToFitWidthAndPadsBelow()
    {
        var box = Letterbox.TopLeft(768, 576, 416, 416);

        Assert.Equal(416f / 768f, box.Scale, 6);
        Assert.Equal((416, 312), (box.ResizedWidth, box.ResizedHeight));
        Assert.Equal((0, 0), (box.PadX, box.PadY));
        var (x1, y1, x2, y2) = box.ToSource(104, 52, 208, 156);
        Assert.Equal(192, x1, 3);
        Assert.Equal(96, y1, 3);
        Assert.Equal(384, x2, 3);
        Assert.Equal(288, y2, 3);
    }

    [Fact]
    public void Centred_WideFrame_SplitsPaddingAndMapsBackThroughIt()
    {
        var box = Letterbox.Centred(1280, 720, 640, 640);

        Assert.Equal(0.5f, box.Scale);
        Assert.Equal((640, 360), (box.ResizedWidth, box.ResizedHeight));
        Assert.Equal((0, 140), (box.PadX, box.PadY));
        var (x1, y1, x2, y2) = box.ToSource(100, 140, 200, 500);
        Assert.Equal((200f, 0f, 400f, 720f), (x1, y1, x2, y2));
    }

    [Fact]
    public void ToSource_BoxPastTheFrame_IsClippedToIt()
    {
        var box = Letterbox.TopLeft(768, 576, 416, 416);

        var (x1, y1, x2, y2) = box.ToSource(-20, -5, 500, 400);

        Assert.Equal((0f, 0f, 768f, 576f), (x1, y1, x2, y2));
    }

    [Fact]
    public void DecodeYolox_RowsInEachStride_GiveBoxesInSourcePixels()
    {
        var output = new float[3549 * 85];
        // Stride 8, cell (gx 10, gy 5): cx = (0.5 + 10) * 8 = 84, cy = (0.25 + 5) * 8 = 42, w = 2 * 8, h = 4 * 8.
        SetRow(output, (5 * 52) + 10, 0.5f, 0.25f, MathF.Log(2), MathF.Log(4), objectness: 0.9f, classId: 0, classScore: 0.8f);
        // Stride 32, cell (gx 3, gy 2): cx = 3 * 32 = 96, cy = 2 * 32 = 64, w = h = 32.
        SetRow(output, (52 * 52) + (26 * 26) + (2 * 13) + 3, 0, 0, 0, 0, objectness: 0.95f, classId: 32, classScore: 0.7f);
        // Below the threshold: dropped.
        SetRow(output, 7, 0, 0, 0, 0, objectness: 0.5f, classId: 0, classScore: 0.5f);
        var letterbox = Letterbox.TopLeft(832, 624, 416, 416); // r = 0.5
        var found = new List<Candidate>();

        YoloDecoder.Decode(output, YoloxNano, letterbox, 0.3f, onlyClass: null, found);

        Assert.Equal(2, found.Count);
        var person = Assert.Single(found, c => c.ClassId == 0);
        Assert.Equal(0.72f, person.Score, 5);
        Assert.Equal((152f, 52f, 184f, 116f), Rounded(person));
        var ball = Assert.Single(found, c => c.ClassId == 32);
        Assert.Equal(0.665f, ball.Score, 5);
        Assert.Equal((160f, 96f, 224f, 160f), Rounded(ball));
    }

    [Fact]
    public void DecodeYolox_OnlyClass_ScoresThatClassEvenWhenAnotherIsBetter()
    {
        var output = new float[3549 * 85];
        SetRow(output, 0, 0, 0, 0, 0, objectness: 1f, classId: 2, classScore: 0.9f);
        output[5 + 0] = 0.6f; // person score of the same row
        var found = new List<Candidate>();

        YoloDecoder.Decode(output, YoloxNano, Letterbox.TopLeft(416, 416, 416, 416), 0.3f, onlyClass: 0, found);

        var only = Assert.Single(found);
        Assert.Equal(0, only.ClassId);
        Assert.Equal(0.6f, only.Score, 5);
    }

    [Fact]
    public void FromShapes_TellsYoloxFromYoloV8ByTheOutputShape()
    {
        var yolox = ModelSpec.FromShapes("images", [1, 3, 416, 416], "output", [1, 3549, 85]);
        var v8 = ModelSpec.FromShapes("images", [1, 3, 640, 640], "output0", [1, 84, 8400]);

        Assert.Equal((ModelFormat.Yolox, 80, 3549), (yolox.Format, yolox.ClassCount, yolox.Rows));
        Assert.Equal((ModelFormat.YoloV8, 80, 8400, 640), (v8.Format, v8.ClassCount, v8.Rows, v8.InputWidth));
        Assert.Throws<NotSupportedException>(() => ModelSpec.FromShapes("images", [1, 3, 416, 416], "output", [1, 3000, 85]));
    }

    [Fact]
    public void Nms_PerClass_KeepsOverlappingBoxesOfOtherClassesUnlessAgnostic()
    {
        var a = new Candidate(0, 0, 100, 100, 0.9f, 0);
        var b = new Candidate(5, 5, 105, 105, 0.8f, 0);   // IoU with a ≈ 0.82: suppressed
        var c = new Candidate(5, 5, 105, 105, 0.7f, 32);  // same place, other class
        var d = new Candidate(200, 200, 260, 260, 0.6f, 0); // far away
        var kept = new List<Candidate>();

        Nms.Apply([c, b, d, a], 0.45f, classAgnostic: false, kept);
        Assert.Equal([a, c, d], kept);

        Nms.Apply([c, b, d, a], 0.45f, classAgnostic: true, kept);
        Assert.Equal([a, d], kept);
    }

    [Fact]
    public void Preprocess_Yolox_KeepsBgr0To255TopLeftOnPad114()
    {
        using var frame = new Mat(100, 200, MatType.CV_8UC3, new Scalar(10, 20, 30));
        var spec = YoloxNano with { InputWidth = 32, InputHeight = 32, Rows = ModelSpec.GridCells(32, 32) };
        using var preprocessor = new FramePreprocessor(spec);
        var tensor = preprocessor.CreateInputBuffer();

        var box = preprocessor.Fill(frame, tensor);

        Assert.Equal((32, 16, 0, 0), (box.ResizedWidth, box.ResizedHeight, box.PadX, box.PadY));
        const int plane = 32 * 32;
        Assert.Equal([10f, 20f, 30f], [tensor[0], tensor[plane], tensor[2 * plane]]);
        var below = (20 * 32) + 5;
        Assert.Equal([114f, 114f, 114f], [tensor[below], tensor[plane + below], tensor[(2 * plane) + below]]);
    }

    [Fact]
    public void Preprocess_YoloV8_GivesRgb0To1CentredOnPad114()
    {
        using var frame = new Mat(100, 200, MatType.CV_8UC3, new Scalar(10, 20, 30));
        var spec = new ModelSpec(ModelFormat.YoloV8, "images", "output0", 32, 32, 3, 8, true);
        using var preprocessor = new FramePreprocessor(spec);
        var tensor = preprocessor.CreateInputBuffer();

        var box = preprocessor.Fill(frame, tensor);

        Assert.Equal((32, 16, 0, 8), (box.ResizedWidth, box.ResizedHeight, box.PadX, box.PadY));
        const int plane = 32 * 32;
        var inside = (16 * 32) + 16;
        Assert.Equal(30 / 255f, tensor[inside], 5);            // R first
        Assert.Equal(20 / 255f, tensor[plane + inside], 5);
        Assert.Equal(10 / 255f, tensor[(2 * plane) + inside], 5);
        Assert.Equal(114 / 255f, tensor[2 * 32], 6);
    }

    [Fact]
    public void YoloV8Model_BuiltInTheTest_IsDetectedAndDecodedThroughOnnxRuntime()
    {
        // [1, 4 + 3, 8]: box 0 is (cx 32, cy 32, w 16, h 8) of class 1 at 0.9; box 5 is class 2 at 0.2.
        const int n = 8;
        var values = new float[7 * n];
        void Set(int channel, int box, float v) => values[(channel * n) + box] = v;
        Set(0, 0, 32);
        Set(1, 0, 32);
        Set(2, 0, 16);
        Set(3, 0, 8);
        Set(4 + 1, 0, 0.9f);
        Set(0, 5, 10);
        Set(1, 5, 10);
        Set(2, 5, 4);
        Set(3, 5, 4);
        Set(4 + 2, 5, 0.2f);
        using var dir = new TempDirectory();
        var path = dir.Combine("tiny-v8.onnx");
        File.WriteAllBytes(path, TinyOnnxModel.ConstantOutput(64, 64, [1, 7, n], values));
        using var sessions = new DetectorSessions(Options.Create(new DetectionOptions { IntraOpThreads = 1 }), NullLogger<DetectorSessions>.Instance);
        var session = sessions.Get(path, "cpu");
        Assert.Same(session, sessions.Get(path, "cpu"));
        Assert.Equal(new ModelSpec(ModelFormat.YoloV8, "images", "output", 64, 64, 3, n, true), session.Spec);

        using var frame = new Mat(64, 128, MatType.CV_8UC3, Scalar.All(50));
        using var preprocessor = new FramePreprocessor(session.Spec);
        var input = preprocessor.CreateInputBuffer();
        var letterbox = preprocessor.Fill(frame, input); // r = 0.5, 64×32 centred: pad 16 above
        using var inputValue = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(input, session.Spec.InputShape);
        using var outputs = session.Session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["images"], [inputValue], ["output"]);
        var found = new List<Candidate>();
        YoloDecoder.Decode(outputs[0].GetTensorDataAsSpan<float>(), session.Spec, letterbox, 0.3f, onlyClass: null, found);

        var box = Assert.Single(found);
        Assert.Equal(1, box.ClassId);
        Assert.Equal(0.9f, box.Score, 5);
        Assert.Equal((48f, 24f, 80f, 40f), Rounded(box));
        Assert.Equal("class_1", CocoClasses.NameOf(box.ClassId, session.Spec.ClassCount));
    }

    private static void SetRow(float[] output, int row, float tx, float ty, float tw, float th, float objectness, int classId, float classScore)
    {
        var r = output.AsSpan(row * 85, 85);
        r[0] = tx;
        r[1] = ty;
        r[2] = tw;
        r[3] = th;
        r[4] = objectness;
        r[5 + classId] = classScore;
    }

    private static (float, float, float, float) Rounded(Candidate c) =>
        (MathF.Round(c.X1, 3), MathF.Round(c.Y1, 3), MathF.Round(c.X2, 3), MathF.Round(c.Y2, 3));
}
