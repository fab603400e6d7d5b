using DriverScoring;

// dotnet run -- seed | dotnet run -- train | dotnet run (serve): see README.md.
const string DefaultRepo = "feature_repo";
const string DefaultModel = "model.zip";

if (args is ["seed", ..])
{
    var end = await Seeder.RunAsync(args.ElementAtOrDefault(1) ?? DefaultRepo, TimeProvider.System);
    Console.WriteLine($"Generated 30 days of driver statistics up to {end:u} and the orders to train on; applied and materialized.");
    return 0;
}

if (args is ["train", ..])
{
    var auc = await Trainer.TrainAsync(args.ElementAtOrDefault(1) ?? DefaultRepo, args.ElementAtOrDefault(2) ?? DefaultModel);
    Console.WriteLine($"Trained a FastTree classifier on Granary's training data: AUC {auc:0.000} on held-out orders; saved {DefaultModel}.");
    return 0;
}

var builder = WebApplication.CreateBuilder(args);

// One FeatureStore for the app, from the repo that appsettings.json names ("Granary": { "RepoPath": ... }),
// checked when the app starts, refreshed when the registry changes, disposed with the app.
builder.Services.AddGranary(builder.Configuration.GetSection("Granary"), stores => Backends.Add(stores));
builder.Services.AddGranaryHealthChecks();
builder.Services.AddSingleton(provider => ScoringModel.Load(provider.GetRequiredService<IConfiguration>()["Scoring:ModelPath"] ?? DefaultModel));

var app = builder.Build();
app.MapPost("/predict", PredictEndpoint.HandleAsync);
app.MapHealthChecks("/health/ready");
await app.RunAsync();
return 0;

/// <summary>The app, for WebApplicationFactory in the tests.</summary>
public partial class Program;
