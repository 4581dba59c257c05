namespace VideoTracker.Core.Detection;

/// <summary>The two output layouts this app decodes.</summary>
public enum ModelFormat
{
    /// <summary>YOLOX: <c>[1, N, 5 + nc]</c>, BGR 0..255 input, top-left letterbox, grid offsets and strides 8/16/32.</summary>
    Yolox,

    /// <summary>YOLOv8/YOLO11: <c>[1, 4 + nc, N]</c>, RGB 0..1 input, centred letterbox, boxes already in input pixels.</summary>
    YoloV8,
}

/// <summary>What a model takes and gives, read from its ONNX input and output shapes.</summary>
public sealed record ModelSpec(
    ModelFormat Format,
    string InputName,
    string OutputName,
    int InputWidth,
    int InputHeight,
    int ClassCount,
    int Rows,
    bool FixedOutputShape)
{
    public static readonly int[] YoloxStrides = [8, 16, 32];

    /// <summary>Number of grid cells over strides 8, 16 and 32: 3549 for 416×416, 8400 for 640×640.</summary>
    public static int GridCells(int inputWidth, int inputHeight) =>
        YoloxStrides.Sum(s => (inputWidth / s) * (inputHeight / s));

    /// <summary>Elements in one output tensor.</summary>
    public int OutputLength => Format == ModelFormat.Yolox ? Rows * (5 + ClassCount) : Rows * (4 + ClassCount);

    public long[] InputShape => [1, 3, InputHeight, InputWidth];

    public long[] OutputShape => Format == ModelFormat.Yolox ? [1, Rows, 5 + ClassCount] : [1, 4 + ClassCount, Rows];

    public Letterbox LetterboxFor(int sourceWidth, int sourceHeight) => Format == ModelFormat.Yolox
        ? Letterbox.TopLeft(sourceWidth, sourceHeight, InputWidth, InputHeight)
        : Letterbox.Centred(sourceWidth, sourceHeight, InputWidth, InputHeight);

    /// <summary>
    /// Chooses the format from the output shape: the smaller of the last two dimensions holds the box and
    /// class values (85 in <c>[1, 3549, 85]</c>, 84 in <c>[1, 84, 8400]</c>).
    /// </summary>
    public static ModelSpec FromShapes(string inputName, IReadOnlyList<int> inputDims, string outputName, IReadOnlyList<int> outputDims)
    {
        if (inputDims.Count != 4 || outputDims.Count != 3)
        {
            throw new NotSupportedException(
                $"Expected an input [1, 3, H, W] and an output of three dimensions, not [{string.Join(", ", inputDims)}] and [{string.Join(", ", outputDims)}].");
        }

        var a = outputDims[1];
        var b = outputDims[2];
        ModelFormat format;
        if (a > 0 && b > 0)
        {
            format = a > b ? ModelFormat.Yolox : ModelFormat.YoloV8;
        }
        else if (b > 0)
        {
            format = ModelFormat.Yolox;
        }
        else if (a > 0)
        {
            format = ModelFormat.YoloV8;
        }
        else
        {
            throw new NotSupportedException("The model's output shape is fully dynamic; its format cannot be told.");
        }

        var defaultSize = format == ModelFormat.Yolox ? 416 : 640;
        var height = inputDims[2] > 0 ? inputDims[2] : defaultSize;
        var width = inputDims[3] > 0 ? inputDims[3] : defaultSize;
        var classCount = format == ModelFormat.Yolox ? b - 5 : a - 4;
        if (classCount < 1)
        {
            throw new NotSupportedException($"The output [{string.Join(", ", outputDims)}] leaves no room for class scores.");
        }

        var declaredRows = format == ModelFormat.Yolox ? a : b;
        var rows = declaredRows > 0 ? declaredRows : GridCells(width, height);
        if (format == ModelFormat.Yolox && rows != GridCells(width, height))
        {
            throw new NotSupportedException($"A YOLOX output for {width}×{height} has {GridCells(width, height)} rows, not {rows}.");
        }

        return new ModelSpec(format, inputName, outputName, width, height, classCount, rows, declaredRows > 0 && outputDims[0] > 0);
    }
}
