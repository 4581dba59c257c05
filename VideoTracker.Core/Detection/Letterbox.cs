namespace VideoTracker.Core.Detection;

/// <summary>
/// How a frame was scaled and padded into the model's input: <c>input = source * Scale + Pad</c>.
/// <see cref="ToSource"/> maps model-input pixels back to source-video pixels.
/// </summary>
public readonly record struct Letterbox(float Scale, int PadX, int PadY, int ResizedWidth, int ResizedHeight, int SourceWidth, int SourceHeight)
{
    /// <summary>YOLOX: <c>r = min(H/h, W/w)</c>, resize to <c>(int(w*r), int(h*r))</c>, placed at (0, 0).</summary>
    public static Letterbox TopLeft(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight)
    {
        var r = Math.Min(inputHeight / (float)sourceHeight, inputWidth / (float)sourceWidth);
        var w = Math.Clamp((int)(sourceWidth * r), 1, inputWidth);
        var h = Math.Clamp((int)(sourceHeight * r), 1, inputHeight);
        return new Letterbox(r, 0, 0, w, h, sourceWidth, sourceHeight);
    }

    /// <summary>YOLOv8/YOLO11 (Ultralytics): resize to <c>round(w*r)</c>, centred, padding split on both sides.</summary>
    public static Letterbox Centred(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight)
    {
        var r = Math.Min(inputHeight / (float)sourceHeight, inputWidth / (float)sourceWidth);
        var w = Math.Clamp((int)MathF.Round(sourceWidth * r), 1, inputWidth);
        var h = Math.Clamp((int)MathF.Round(sourceHeight * r), 1, inputHeight);
        var padX = (int)MathF.Round(((inputWidth - w) / 2f) - 0.1f);
        var padY = (int)MathF.Round(((inputHeight - h) / 2f) - 0.1f);
        return new Letterbox(r, Math.Max(0, padX), Math.Max(0, padY), w, h, sourceWidth, sourceHeight);
    }

    /// <summary>A box in model-input pixels, mapped back to the source frame and clipped to it.</summary>
    public (float X1, float Y1, float X2, float Y2) ToSource(float x1, float y1, float x2, float y2) =>
        (Math.Clamp((x1 - PadX) / Scale, 0, SourceWidth),
         Math.Clamp((y1 - PadY) / Scale, 0, SourceHeight),
         Math.Clamp((x2 - PadX) / Scale, 0, SourceWidth),
         Math.Clamp((y2 - PadY) / Scale, 0, SourceHeight));
}
