namespace VideoTracker.Core.Jobs;

/// <summary>The submit form's own fields; every other field is a tool option.</summary>
public static class SubmitFieldNames
{
    public const string PluginId = "plugin_id";
    public const string Tool = "tool";
    public const string Device = "device";

    public static bool IsReserved(string name) => name is PluginId or Tool or Device;
}
