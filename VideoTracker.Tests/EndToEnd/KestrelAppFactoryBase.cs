namespace VideoTracker.Tests.EndToEnd;

/// <summary>
/// The real app on a real Kestrel port on 127.0.0.1, for a real browser. Subclasses may swap services
/// before the server starts (it starts on first use of <see cref="BaseUrl"/>).
/// </summary>
public abstract class KestrelAppFactoryBase : VideoTrackerAppFactory
{
    private string? _baseUrl;

    protected KestrelAppFactoryBase()
    {
        Settings["Jobs:Workers"] = "1";
        ConfigureServices = ConfigureTestServices;
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
    }

    /// <summary>For example http://127.0.0.1:41234.</summary>
    public string BaseUrl
    {
        get
        {
            if (_baseUrl is null)
            {
                StartServer();
                using var client = CreateClient();
                _baseUrl = client.BaseAddress!.ToString().TrimEnd('/');
            }

            return _baseUrl;
        }
    }

    protected virtual void ConfigureTestServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }
}
