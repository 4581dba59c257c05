namespace VideoTracker.Core.Evaluation;

/// <summary>One row of a MOTChallenge text file: 1-based frame, id, left, top, width, height, confidence.</summary>
public readonly record struct MotBox(int Frame, int Id, double Left, double Top, double Width, double Height, double Confidence)
{
    public double Right => Left + Width;

    /// <summary>MOTChallenge scores a ground-truth row unless its conf is 0.</summary>
    public bool IsScored => Confidence != 0;

    public double Bottom => Top + Height;
}

/// <summary>What reading a MOTChallenge file gave: its rows, or the first line that is wrong and why.</summary>
public abstract record MotParseResult
{
    private MotParseResult()
    {
    }

    public sealed record Parsed(IReadOnlyList<MotBox> Boxes) : MotParseResult;

    public sealed record Invalid(int Line, string Detail) : MotParseResult;
}

/// <summary>
/// Reads MOTChallenge text (<c>frame,id,left,top,width,height,conf,x,y,z</c>; frames from 1). Blank lines
/// are skipped; anything else that is not such a row is refused with its line number.
/// </summary>
public static class MotText
{
    /// <summary>Parses <paramref name="reader"/>; frames beyond <paramref name="maxFrame"/> (when given) are refused.</summary>
    public static MotParseResult Parse(TextReader reader, int? maxFrame = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var boxes = new List<MotBox>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (lineNumber == 1 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
            }

            // A video or an image uploaded by mistake: say so rather than echo its bytes.
            if (line.Any(c => c == '\uFFFD' || (char.IsControl(c) && c != '\t')))
            {
                return new MotParseResult.Invalid(lineNumber, $"Line {lineNumber} is not text: is this the MOTChallenge .txt file?");
            }

            var fields = line.Split(',');
            if (fields.Length < 6)
            {
                return new MotParseResult.Invalid(lineNumber, $"Line {lineNumber}: expected comma-separated frame,id,left,top,width,height[,conf,...]; got {Shorten(line)}.");
            }

            var numbers = new double[Math.Min(fields.Length, 7)];
            for (var i = 0; i < numbers.Length; i++)
            {
                if (!double.TryParse(fields[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
                {
                    return new MotParseResult.Invalid(lineNumber, $"Line {lineNumber}: field {i + 1} ({Shorten(fields[i].Trim())}) is not a number.");
                }
            }

            if (numbers[0] < 1 || numbers[0] != Math.Floor(numbers[0]) || numbers[0] > int.MaxValue)
            {
                return new MotParseResult.Invalid(lineNumber, $"Line {lineNumber}: the frame must be a whole number from 1; got {fields[0].Trim()}.");
            }

            if (numbers[1] != Math.Floor(numbers[1]) || Math.Abs(numbers[1]) > int.MaxValue)
            {
                return new MotParseResult.Invalid(lineNumber, $"Line {lineNumber}: the id must be a whole number; got {fields[1].Trim()}.");
            }

            if (numbers[4] < 0 || numbers[5] < 0)
            {
                return new MotParseResult.Invalid(lineNumber, $"Line {lineNumber}: the width and height must not be negative; got {fields[4].Trim()} × {fields[5].Trim()}.");
            }

            var frame = (int)numbers[0];
            if (maxFrame is { } max && frame > max)
            {
                return new MotParseResult.Invalid(lineNumber, $"Line {lineNumber}: frame {frame} is beyond the clip, which has {max} frames.");
            }

            boxes.Add(new MotBox(frame, (int)numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], numbers.Length > 6 ? numbers[6] : 1));
        }

        return boxes.Count == 0
            ? new MotParseResult.Invalid(Math.Max(1, lineNumber), "The ground truth is empty: expected MOTChallenge rows frame,id,left,top,width,height,conf,...")
            : new MotParseResult.Parsed(boxes);
    }

    private static string Shorten(string text) => text.Length <= 40 ? $"'{text}'" : $"'{text[..40]}…'";
}
