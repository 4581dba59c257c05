using OpenCvSharp;

namespace VideoTracker.Core.Detection;

/// <summary>
/// An analysed frame's pixels as the pipeline lends them to a <see cref="DetectionPostProcessor"/>: the whole
/// decoded frame (<see cref="Scale"/> 1), or the frame ffmpeg scaled to the model's input while decoding
/// (<see cref="Scale"/> below 1). Boxes are in source pixels; multiply by <see cref="Scale"/> to index the pixels.
/// </summary>
/// <param name="Pixels">8-bit BGR; valid only during the call.</param>
/// <param name="Scale">Frame pixels per source pixel.</param>
/// <param name="SourceWidth">The source frame's width, in source pixels: boxes lie within it.</param>
/// <param name="SourceHeight">The source frame's height, in source pixels.</param>
public readonly record struct DecodedFrame(Mat Pixels, double Scale, int SourceWidth, int SourceHeight);
