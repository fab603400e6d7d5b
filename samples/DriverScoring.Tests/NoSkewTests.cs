using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Granary;
using Granary.Repo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DriverScoring.Tests;

/// <summary>
/// The sample end to end at a fixed time t: seed, train, serve; the probability /predict answers for a driver
/// at t equals the model's probability on that driver's training row at t, with the same features.
/// </summary>
public sealed class NoSkewTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("granary-sample-").FullName;
    private readonly FakeTimeProvider _time = new(T);
    private WebApplicationFactory<Program>? _app;
    private double _auc;

    private string Repo => Path.Combine(_folder, "feature_repo");

    private string ModelPath => Path.Combine(_folder, "model.zip");

    public async Task InitializeAsync()
    {
        // The sample's own definitions, copied beside this run's data.
        Directory.CreateDirectory(Repo);
        var sample = Path.Combine(AppContext.BaseDirectory, "feature_repo");
        foreach (var file in Directory.GetFiles(sample, "*.yaml"))
        {
            File.Copy(file, Path.Combine(Repo, Path.GetFileName(file)));
        }

        var end = await Seeder.RunAsync(Repo, _time);
        Assert.Equal(T, end);
        _auc = await Trainer.TrainAsync(Repo, ModelPath);
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("Granary:RepoPath", Repo)
            .UseSetting("Scoring:ModelPath", ModelPath)
            .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_time)));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Train_HeldOutOrders_TheModelLearnedFromTheFeatures()
    {
        // Completion was generated from the features (Seeder); guessing scores 0.5.
        Assert.True(_auc > 0.7, $"AUC {_auc}");
    }

    [Theory]
    [InlineData(1001, 12.5)]
    [InlineData(1017, 3.0)]
    [InlineData(1033, 27.4)]
    [InlineData(Seeder.SilentDriver, 8.0)]
    public async Task Predict_AtT_EqualsTheModelOnTheTrainingRowAtT(long driver, double distance)
    {
        using var client = _app!.CreateClient();

        using var answer = await client.PostAsJsonAsync("/predict", new { driverId = driver, tripDistanceKm = distance });
        answer.EnsureSuccessStatusCode();
        using var served = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());

        // The training row of the same order at t, from the offline store, scored by the same model file.
        var entities = Path.Combine(_folder, $"order-{driver}.csv");
        File.WriteAllText(entities, string.Create(CultureInfo.InvariantCulture, $"driver_id,event_timestamp,trip_distance_km\n{driver},2026-03-01T12:00:00Z,{distance}\n"));
        await using var store = Backends.Add(new FeatureStoreBuilder(FeatureRepo.LoadConfig(Repo))).Build();
        var training = Assert.Single(await Trainer.TrainingRowsAsync(store, entities));
        using var model = ScoringModel.Load(ModelPath);
        var expected = model.Score(training);

        var features = served.RootElement.GetProperty("features");
        for (var i = 0; i < ModelInput.FeatureNames.Length; i++)
        {
            var value = features.GetProperty(ModelInput.FeatureNames[i]);
            var servedValue = value.ValueKind == JsonValueKind.Null ? float.NaN : (float)value.GetDouble();
            Assert.True(servedValue.Equals(training.Features[i]), $"{ModelInput.FeatureNames[i]}: served {servedValue}, training {training.Features[i]}");
        }

        Assert.Equal(expected.Probability, served.RootElement.GetProperty("probability").GetSingle());
        if (driver == Seeder.SilentDriver)
        {
            // Its last statistics are 3 days old at t, past the 2-day ttl: missing in both paths.
            Assert.Equal(JsonValueKind.Null, features.GetProperty("conv_rate").ValueKind);
        }
        else
        {
            Assert.Equal(JsonValueKind.Number, features.GetProperty("conv_rate").ValueKind);
        }
    }
}
