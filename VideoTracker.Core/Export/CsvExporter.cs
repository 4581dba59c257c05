namespace VideoTracker.Core.Export;

/// <summary>
/// One CSV row a box. The last column, <c>interpolated</c>, is <c>true</c> for a box the tracker filled in for a frame where
/// its object was not detected (its confidence is the lower of the two detections around the gap), <c>false</c> otherwise;
/// it comes last so that the columns before it keep their places.
/// </summary>
public sealed class CsvExporter() : DetectionLinesExporter("csv", "text/csv; charset=utf-8", "detections", "csv")
{
    public const string Header = "frame_index,timestamp_ms,track_id,class_name,confidence,x1,y1,x2,y2,interpolated";

    protected override string HeaderLine => Header;

    protected override string Line(FrameDetections frame, DetectedObject d) => string.Create(CultureInfo.InvariantCulture,
        $"{frame.FrameIndex},{frame.TimestampMs},{d.TrackId},{CsvField.Text(d.ClassName)},{d.Confidence},{d.X1},{d.Y1},{d.X2},{d.Y2},{(d.Interpolated ? "true" : "false")}");
}
