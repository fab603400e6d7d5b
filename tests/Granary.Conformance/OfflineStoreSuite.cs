using Granary.Offline;

namespace Granary.Conformance;

/// <summary>
/// What every offline store suite shares: the store under test, built before each test and disposed after it,
/// and a temp folder of the test's own, deleted afterwards.
/// </summary>
public abstract class OfflineStoreSuite : IAsyncLifetime
{
    private readonly string _folder;
    private OfflineStore? _store;

    /// <param name="folderPrefix">The start of the temp folder's name, telling the suites' folders apart.</param>
    protected OfflineStoreSuite(string folderPrefix)
    {
        _folder = Path.Combine(Path.GetTempPath(), folderPrefix + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The store under test.</summary>
    protected OfflineStore Store => _store ?? throw new InvalidOperationException("not initialized");

    /// <summary>A temp folder of this test, deleted afterwards.</summary>
    protected string Folder => _folder;

    /// <summary>Builds a store under test; each call gives a new instance (a suite may open a second one).</summary>
    protected abstract Task<OfflineStore> CreateStoreAsync();

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _store = await CreateStoreAsync();
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
