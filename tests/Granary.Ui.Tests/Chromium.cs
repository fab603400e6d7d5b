using Microsoft.Playwright;

namespace Granary.Ui.Tests;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by .ci/run) driven by Playwright, each
/// context in a fresh user-data folder. Playwright never downloads a browser here.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>Where the Debian package puts the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    private readonly IPlaywright _playwright;
    private readonly List<(IBrowserContext Context, string Folder)> _contexts = [];

    private Chromium(IPlaywright playwright) => _playwright = playwright;

    /// <summary>Starts Playwright's driver; fails with the install command when Chromium is missing.</summary>
    public static async Task<Chromium> StartAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} not found: apt-get install -y chromium (.ci/run does)");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        return new Chromium(await Playwright.CreateAsync());
    }

    /// <summary>A new browser with a fresh profile, 1280 px wide unless told otherwise.</summary>
    public async Task<IBrowserContext> NewContextAsync(bool javaScript = true, int width = 1280, int height = 900, ColorScheme colorScheme = ColorScheme.Light)
    {
        var folder = Directory.CreateTempSubdirectory("granary-chromium-").FullName;
        var context = await _playwright.Chromium.LaunchPersistentContextAsync(folder, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
        });
        _contexts.Add((context, folder));
        return context;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var (context, folder) in _contexts)
        {
            await context.CloseAsync();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may hold a lock file for a moment after closing.
            }
        }

        _playwright.Dispose();
    }
}
