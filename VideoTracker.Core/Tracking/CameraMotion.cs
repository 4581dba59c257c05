namespace VideoTracker.Core.Tracking;

/// <summary>
/// How the camera moved between two analysed frames, as a similarity transform (rotation, uniform scale
/// and translation) that takes a point of the previous frame to where it is seen in this one:
/// <c>x' = A11·x + A12·y + Tx</c>, <c>y' = A21·x + A22·y + Ty</c>, in source pixels.
/// </summary>
public readonly record struct CameraMotion(double A11, double A12, double A21, double A22, double Tx, double Ty)
{
    public static CameraMotion Identity { get; } = new(1, 0, 0, 1, 0, 0);

    public static CameraMotion Translation(double dx, double dy) => new(1, 0, 0, 1, dx, dy);

    /// <summary>The transform's uniform scale, √|det A| (1 for a pan).</summary>
    public double Scale => Math.Sqrt(Math.Abs((A11 * A22) - (A12 * A21)));

    public (double X, double Y) Apply(double x, double y) => ((A11 * x) + (A12 * y) + Tx, (A21 * x) + (A22 * y) + Ty);
}
