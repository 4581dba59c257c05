using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace VideoTracker.Core.Plugins;

/// <summary>
/// What a person sent, read as options: bound to a typed value, or refused with the detail the API answers
/// (<c>{"detail": …, "option": …}</c>) and, when a declared option's value is what is wrong, which option and why.
/// The hierarchy is closed (private constructor): <see cref="Match{TResult}"/> takes one function per case, and
/// <see cref="Failed"/> serves an early return, with the compiler tracking which of its two values is set.
/// </summary>
public abstract record OptionsResult<T>
    where T : class
{
    private OptionsResult()
    {
    }

    public TResult Match<TResult>(Func<T, TResult> bound, Func<Refused, TResult> refused)
    {
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(refused);
        return Failed(out var no, out var value) ? refused(no) : bound(value);
    }

    /// <summary>False with the value, or true with the refusal.</summary>
    public bool Failed([NotNullWhen(true)] out Refused? refused, [NotNullWhen(false)] out T? value)
    {
        (refused, value) = this switch
        {
            Bound bound => ((Refused?)null, bound.Value),
            Refused no => (no, null),
            _ => throw new UnreachableException(),
        };
        return refused is not null;
    }

    public sealed record Bound(T Value) : OptionsResult<T>;

    /// <param name="Detail">What the API answers: "Option 'min_area' must be between 1 and 10, not 0.", "Unknown option 'x'. …".</param>
    /// <param name="Option">The option whose value was refused, when that is what was wrong, so a form can mark its field.</param>
    public sealed record Refused(string Detail, OptionError? Option = null) : OptionsResult<T>
    {
        /// <summary>A declared option's value refused: the detail is the option's own.</summary>
        public Refused(OptionError option)
            : this((option ?? throw new ArgumentNullException(nameof(option))).Detail, option)
        {
        }

        /// <summary>The same refusal, passed on by a reader of another value.</summary>
        public OptionsResult<TOther>.Refused As<TOther>()
            where TOther : class => new(Detail, Option);
    }
}
