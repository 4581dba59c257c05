namespace VideoTracker.Core.Export;

/// <summary>
/// MOTChallenge: <c>frame,id,left,top,width,height,conf,-1,-1,-1</c>, frames from 1; untracked boxes get id -1. The format
/// has no column to tell an interpolated box from a detected one, so interpolated boxes are written like the others (as
/// trackers' MOT results, ByteTrack's own interpolation among them, include them); the other formats mark them. Widths
/// and heights are rounded to the corners' two decimals, so a float subtraction's noise (40.010002) never shows.
/// </summary>
public sealed class MotExporter() : DetectionLinesExporter("mot", "text/plain; charset=utf-8", "mot", "txt")
{
    protected override string Line(FrameDetections frame, DetectedObject d) => string.Create(CultureInfo.InvariantCulture,
        $"{frame.FrameIndex + 1},{d.TrackId ?? -1},{d.X1},{d.Y1},{Math.Round(d.X2 - d.X1, 2)},{Math.Round(d.Y2 - d.Y1, 2)},{d.Confidence},-1,-1,-1");
}
