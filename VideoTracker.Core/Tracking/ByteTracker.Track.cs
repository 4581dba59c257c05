namespace VideoTracker.Core.Tracking;

// The track state: ByteTrack's STrack, with its Kalman filter and OC-SORT's re-update.
public sealed partial class ByteTracker
{
    private enum TrackState
    {
        New,
        Tracked,
        Lost,
        Removed,
    }

    /// <summary>A track, or a detection that may become one (ByteTrack's STrack plays both roles).</summary>
    private sealed class Track
    {
        private readonly double[] _mean = new double[BoxKalmanFilter.StateSize];
        private readonly double[] _covariance = new double[BoxKalmanFilter.StateSize * BoxKalmanFilter.StateSize];
        private readonly double[] _savedMean = new double[BoxKalmanFilter.StateSize];
        private readonly double[] _savedCovariance = new double[BoxKalmanFilter.StateSize * BoxKalmanFilter.StateSize];
        private readonly double[] _lastObservation = new double[4];
        private bool _hasState;

        // Top-left x, y, width and height of the detection, used until the filter starts.
        private double _left;
        private double _top;
        private double _width;
        private double _height;

        public int TrackId { get; private set; }

        public TrackState State { get; set; } = TrackState.New;

        public bool IsActivated { get; private set; }

        public double Score { get; private set; }

        /// <summary>The last frame this track was matched in (ByteTrack's <c>frame_id</c> / <c>end_frame</c>).</summary>
        public int FrameId { get; private set; }

        public int StartFrame { get; private set; }

        /// <summary>The index, in this frame's input, of the detection this track was last matched to.</summary>
        public int DetectionIndex { get; private set; }

        public static Track FromDetection(in TrackerInput d, int index) => new()
        {
            _left = d.X1,
            _top = d.Y1,
            _width = d.X2 - d.X1,
            _height = d.Y2 - d.Y1,
            Score = d.Score,
            DetectionIndex = index,
        };

        public (double X1, double Y1, double X2, double Y2) Box()
        {
            if (!_hasState)
            {
                return (_left, _top, _left + _width, _top + _height);
            }

            var w = _mean[2] * _mean[3];
            var h = _mean[3];
            var x1 = _mean[0] - (w / 2);
            var y1 = _mean[1] - (h / 2);
            return (x1, y1, x1 + w, y1 + h);
        }

        public void Predict()
        {
            if (State != TrackState.Tracked)
            {
                _mean[7] = 0;
            }

            BoxKalmanFilter.Predict(_mean, _covariance);
        }

        public void Warp(in CameraMotion motion) => BoxKalmanFilter.Warp(_mean, _covariance, motion);

        public void Activate(int id, int frame)
        {
            TrackId = id;
            var observation = Measurement(this);
            BoxKalmanFilter.Initiate(observation, _mean, _covariance);
            Remember(observation);
            _hasState = true;
            State = TrackState.Tracked;
            IsActivated = frame == 1;
            FrameId = frame;
            StartFrame = frame;
        }

        public void Update(Track detection, int frame)
        {
            FrameId = frame;
            var observation = Measurement(detection);
            BoxKalmanFilter.Update(_mean, _covariance, observation);
            Remember(observation);
            State = TrackState.Tracked;
            IsActivated = true;
            Score = detection.Score;
            DetectionIndex = detection.DetectionIndex;
        }

        public void ReActivate(Track detection, int frame, bool reupdate)
        {
            var gap = frame - FrameId;
            if (!reupdate || gap <= 1)
            {
                Update(detection, frame);
                return;
            }

            // Back to the state at the last observation, then along a straight line to the new one.
            _savedMean.CopyTo(_mean, 0);
            _savedCovariance.CopyTo(_covariance, 0);
            var target = Measurement(detection);
            Span<double> step = stackalloc double[4];
            for (var k = 1; k < gap; k++)
            {
                for (var i = 0; i < 4; i++)
                {
                    step[i] = _lastObservation[i] + ((target[i] - _lastObservation[i]) * k / gap);
                }

                BoxKalmanFilter.Predict(_mean, _covariance);
                BoxKalmanFilter.Update(_mean, _covariance, step);
            }

            BoxKalmanFilter.Predict(_mean, _covariance);
            Update(detection, frame);
        }

        private void Remember(double[] observation)
        {
            _mean.CopyTo(_savedMean, 0);
            _covariance.CopyTo(_savedCovariance, 0);
            observation.CopyTo(_lastObservation, 0);
        }

        /// <summary>The detection's box as centre x, centre y, aspect and height.</summary>
        private static double[] Measurement(Track detection) =>
            [detection._left + (detection._width / 2), detection._top + (detection._height / 2), detection._width / detection._height, detection._height];
    }
}
