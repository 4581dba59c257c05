namespace VideoTracker.Core.Jobs;

/// <summary>Why a submission was refused; the API maps each to its HTTP status, the web UI to its message.</summary>
public enum SubmitError
{
    BadRequest,
    NotAVideo,
    TooLarge,
    QueueFull,
    InsufficientStorage,

    /// <summary>The web form's antiforgery token is missing or stale (the browser upload only).</summary>
    ExpiredForm,

    /// <summary>A job run again whose clip is no longer on the server.</summary>
    ClipGone,
}

public static class SubmitErrorExtensions
{
    /// <summary>The snake_case name the browser upload reports the kind by (<c>not_a_video</c>, <c>too_large</c>, …).</summary>
    public static string ToWire(this SubmitError error) => JsonNamingPolicy.SnakeCaseLower.ConvertName(error.ToString());

    public static SubmitError? ParseWire(string? wire) =>
        Enum.GetValues<SubmitError>().Select(e => (SubmitError?)e).FirstOrDefault(e => e!.Value.ToWire() == wire);
}

/// <summary>
/// A submission either became a job or was refused with a kind and a detail. The hierarchy is closed (private
/// constructor), and <see cref="Match{T}"/> takes one function per case, so the compiler checks both are handled.
/// </summary>
public abstract record SubmitResult
{
    private SubmitResult()
    {
    }

    public T Match<T>(Func<Accepted, T> accepted, Func<Refused, T> refused)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(refused);
        return this is Accepted a ? accepted(a) : refused((Refused)this);
    }

    public sealed record Accepted(VideoJob Job) : SubmitResult;

    public sealed record Refused(SubmitError Error, string Detail) : SubmitResult
    {
        /// <summary>The option whose value was refused, when that is what was wrong, so a form can mark its field.</summary>
        public OptionError? Option { get; init; }

        /// <summary>Options refused (<see cref="JobSubmitter.Resolve"/>, the zones against the clip): a bad request, naming the option.</summary>
        public static Refused FromOptions<T>(OptionsResult<T>.Refused refused)
            where T : class
        {
            ArgumentNullException.ThrowIfNull(refused);
            return new(SubmitError.BadRequest, refused.Detail) { Option = refused.Option };
        }
    }
}
