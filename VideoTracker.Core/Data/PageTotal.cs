namespace VideoTracker.Core.Data;

/// <summary>What a page of a list says of the list's length, so that a list counts its rows only when its page cannot tell.</summary>
public static class PageTotal
{
    /// <summary>
    /// How many rows there are in all, when the page read from <paramref name="offset"/> (at most <paramref name="limit"/>
    /// rows, <paramref name="returned"/> of them came back) tells it: it was not full, and it was not past the end (an
    /// empty page after the first says only that there are at most <paramref name="offset"/>). Null otherwise: count them.
    /// </summary>
    public static int? FromPage(int offset, int limit, int returned) =>
        returned < limit && (returned > 0 || offset == 0) ? offset + returned : null;
}
