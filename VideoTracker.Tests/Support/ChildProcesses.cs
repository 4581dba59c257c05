namespace VideoTracker.Tests.Support;

/// <summary>Running processes as Linux's <c>/proc</c> lists them: which a process started, and whether one still runs.</summary>
public static class ChildProcesses
{
    /// <summary>
    /// The ids of the running children of <paramref name="parentId"/> whose program is <paramref name="name"/> (e.g.
    /// <c>ffmpeg</c>) and one of whose arguments contains <paramref name="argument"/>.
    /// </summary>
    public static IReadOnlyList<int> Of(int parentId, string name, string argument) =>
        [.. Running().Where(p => p.ParentId == parentId && p.Name == name && Arguments(p.Id).Any(a => a.Contains(argument, StringComparison.Ordinal))).Select(p => p.Id)];

    /// <summary>Whether <paramref name="id"/> still runs: it exists and is not a zombie that nobody has reaped yet.</summary>
    public static bool IsRunning(int id) => Running().Any(p => p.Id == id);

    private static string[] Arguments(int id)
    {
        try
        {
            return File.ReadAllText($"/proc/{id}/cmdline").Split('\0');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static IEnumerable<(int Id, string Name, int ParentId)> Running()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var id))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // it ended meanwhile
            }

            // "pid (comm) state ppid …": the name may hold spaces and parentheses, so it ends at the last ')'.
            var close = stat.LastIndexOf(')');
            var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            if (fields[0] != "Z" && fields[0] != "X")
            {
                yield return (id, name, int.Parse(fields[1], CultureInfo.InvariantCulture));
            }
        }
    }
}
