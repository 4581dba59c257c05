using System.ComponentModel.DataAnnotations;

namespace VideoTracker.Core.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Holds the SQLite database, uploads, results and models. Relative paths resolve against the content root.</summary>
    [Required] public string DataDirectory { get; init; } = "data";

    [Range(1, long.MaxValue)] public long MaxUploadBytes { get; init; } = 2L << 30;

    /// <summary>Uploads are refused with 507 when the data folder's disk has less free space than this.</summary>
    [Range(0, long.MaxValue)] public long MinFreeBytes { get; init; } = 512L << 20;
}
