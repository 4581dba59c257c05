namespace VideoTracker.Core.Tracking;

/// <summary>
/// The constant-velocity Kalman filter of SORT, DeepSORT and ByteTrack for one box. The state has 8
/// values, the box as centre x, centre y, aspect (width / height) and height, then their velocities; a
/// measurement is the box alone. Noise scales with the box's height: position 1/20, velocity 1/160 of it.
/// The covariance is an 8×8 row-major array.
/// </summary>
public static class BoxKalmanFilter
{
    public const int StateSize = 8;
    private const double PositionWeight = 1.0 / 20;
    private const double VelocityWeight = 1.0 / 160;

    /// <summary>A new state at the measured box, not moving, with a wide uncertainty on velocity.</summary>
    public static void Initiate(ReadOnlySpan<double> xyah, Span<double> mean, Span<double> covariance)
    {
        var h = xyah[3];
        for (var i = 0; i < 4; i++)
        {
            mean[i] = xyah[i];
            mean[i + 4] = 0;
        }

        covariance.Clear();
        Span<double> std =
        [
            2 * PositionWeight * h, 2 * PositionWeight * h, 1e-2, 2 * PositionWeight * h,
            10 * VelocityWeight * h, 10 * VelocityWeight * h, 1e-5, 10 * VelocityWeight * h,
        ];
        for (var i = 0; i < StateSize; i++)
        {
            covariance[(i * StateSize) + i] = std[i] * std[i];
        }
    }

    /// <summary>One frame ahead: the box moves by its velocity, and the uncertainty grows.</summary>
    public static void Predict(Span<double> mean, Span<double> covariance)
    {
        var h = mean[3];
        Span<double> std =
        [
            PositionWeight * h, PositionWeight * h, 1e-2, PositionWeight * h,
            VelocityWeight * h, VelocityWeight * h, 1e-5, VelocityWeight * h,
        ];
        for (var i = 0; i < 4; i++)
        {
            mean[i] += mean[i + 4];
        }

        // With F = [[I, I], [0, I]] and P = [[A, B], [C, D]]: F P Fᵀ = [[A + B + C + D, B + D], [C + D, D]].
        const int N = StateSize;
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                var a = covariance[(r * N) + c];
                var b = covariance[(r * N) + c + 4];
                var cc = covariance[((r + 4) * N) + c];
                var d = covariance[((r + 4) * N) + c + 4];
                covariance[(r * N) + c] = a + b + cc + d;
                covariance[(r * N) + c + 4] = b + d;
                covariance[((r + 4) * N) + c] = cc + d;
            }
        }

        for (var i = 0; i < N; i++)
        {
            covariance[(i * N) + i] += std[i] * std[i];
        }
    }

    /// <summary>Corrects the state with a measured box (centre x, centre y, aspect, height).</summary>
    public static void Update(Span<double> mean, Span<double> covariance, ReadOnlySpan<double> xyah)
    {
        const int N = StateSize;
        var h = mean[3];
        Span<double> r = [PositionWeight * h, PositionWeight * h, 1e-1, PositionWeight * h];

        // Innovation covariance S = H P Hᵀ + R, the top-left 4×4 block plus measurement noise.
        Span<double> s = stackalloc double[16];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                s[(i * 4) + j] = covariance[(i * N) + j];
            }

            s[(i * 4) + i] += r[i] * r[i];
        }

        // Cholesky S = L Lᵀ.
        Span<double> l = stackalloc double[16];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = s[(i * 4) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[(i * 4) + k] * l[(j * 4) + k];
                }

                l[(i * 4) + j] = i == j ? Math.Sqrt(sum) : sum / l[(j * 4) + j];
            }
        }

        // Gain K = P Hᵀ S⁻¹ (8×4): row k solves S x = (P Hᵀ)ₖ, S being symmetric.
        Span<double> gain = stackalloc double[N * 4];
        Span<double> y = stackalloc double[4];
        for (var k = 0; k < N; k++)
        {
            for (var i = 0; i < 4; i++)
            {
                var sum = covariance[(k * N) + i];
                for (var j = 0; j < i; j++)
                {
                    sum -= l[(i * 4) + j] * y[j];
                }

                y[i] = sum / l[(i * 4) + i];
            }

            for (var i = 3; i >= 0; i--)
            {
                var sum = y[i];
                for (var j = i + 1; j < 4; j++)
                {
                    sum -= l[(j * 4) + i] * gain[(k * 4) + j];
                }

                gain[(k * 4) + i] = sum / l[(i * 4) + i];
            }
        }

        Span<double> innovation = stackalloc double[4];
        for (var i = 0; i < 4; i++)
        {
            innovation[i] = xyah[i] - mean[i];
        }

        for (var k = 0; k < N; k++)
        {
            var sum = 0.0;
            for (var i = 0; i < 4; i++)
            {
                sum += gain[(k * 4) + i] * innovation[i];
            }

            mean[k] += sum;
        }

        // P −= K S Kᵀ.
        Span<double> ks = stackalloc double[N * 4];
        for (var k = 0; k < N; k++)
        {
            for (var j = 0; j < 4; j++)
            {
                var sum = 0.0;
                for (var i = 0; i < 4; i++)
                {
                    sum += gain[(k * 4) + i] * s[(i * 4) + j];
                }

                ks[(k * 4) + j] = sum;
            }
        }

        for (var a = 0; a < N; a++)
        {
            for (var b = 0; b < N; b++)
            {
                var sum = 0.0;
                for (var j = 0; j < 4; j++)
                {
                    sum += ks[(a * 4) + j] * gain[(b * 4) + j];
                }

                covariance[(a * N) + b] -= sum;
            }
        }
    }

    /// <summary>
    /// Moves a predicted state with the camera, as BoT-SORT's camera-motion compensation does: the centre
    /// and its velocity are rotated, scaled and (the centre only) translated; the height and its velocity
    /// take the transform's scale; the aspect is unchanged. The covariance becomes T P Tᵀ with T that
    /// linear map.
    /// </summary>
    public static void Warp(Span<double> mean, Span<double> covariance, in CameraMotion motion)
    {
        const int N = StateSize;
        var scale = motion.Scale;
        Span<double> t = stackalloc double[N * N];
        t.Clear();
        foreach (var offset in (ReadOnlySpan<int>)[0, 4])
        {
            t[(offset * N) + offset] = motion.A11;
            t[(offset * N) + offset + 1] = motion.A12;
            t[((offset + 1) * N) + offset] = motion.A21;
            t[((offset + 1) * N) + offset + 1] = motion.A22;
        }

        t[(2 * N) + 2] = 1;
        t[(3 * N) + 3] = scale;
        t[(6 * N) + 6] = 1;
        t[(7 * N) + 7] = scale;

        Span<double> warped = stackalloc double[N];
        for (var r = 0; r < N; r++)
        {
            var sum = 0.0;
            for (var c = 0; c < N; c++)
            {
                sum += t[(r * N) + c] * mean[c];
            }

            warped[r] = sum;
        }

        warped[0] += motion.Tx;
        warped[1] += motion.Ty;
        warped.CopyTo(mean);

        // P' = T P Tᵀ, through TP.
        Span<double> tp = stackalloc double[N * N];
        Multiply(t, covariance, tp, transposeRight: false);
        Multiply(tp, t, covariance, transposeRight: true);
    }

    /// <summary>
    /// <paramref name="product"/> = <paramref name="left"/> · <paramref name="right"/> (or · rightᵀ), all
    /// <see cref="StateSize"/>² and row-major; <paramref name="product"/> must be neither input.
    /// </summary>
    private static void Multiply(ReadOnlySpan<double> left, ReadOnlySpan<double> right, Span<double> product, bool transposeRight)
    {
        const int N = StateSize;
        var (rowStride, columnStride) = transposeRight ? (1, N) : (N, 1);
        for (var r = 0; r < N; r++)
        {
            for (var c = 0; c < N; c++)
            {
                var sum = 0.0;
                for (var k = 0; k < N; k++)
                {
                    sum += left[(r * N) + k] * right[(k * rowStride) + (c * columnStride)];
                }

                product[(r * N) + c] = sum;
            }
        }
    }
}
