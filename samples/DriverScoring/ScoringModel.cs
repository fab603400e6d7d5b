using Microsoft.ML;

namespace DriverScoring;

/// <summary>The trained model, loaded once; ML.NET's prediction engine is not thread-safe, so calls take turns.</summary>
internal sealed class ScoringModel : IDisposable
{
    private readonly PredictionEngine<ModelInput, ModelOutput> _engine;
    private readonly Lock _gate = new();

    private ScoringModel(PredictionEngine<ModelInput, ModelOutput> engine) => _engine = engine;

    /// <summary>Loads a model that <see cref="Trainer"/> saved.</summary>
    public static ScoringModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no model at {Path.GetFullPath(path)}: run 'dotnet run -- train' first", path);
        }

        var ml = new MLContext();
        var model = ml.Model.Load(path, out _);
        return new ScoringModel(ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model));
    }

    public ModelOutput Score(ModelInput input)
    {
        lock (_gate)
        {
            return _engine.Predict(input);
        }
    }

    public void Dispose() => _engine.Dispose();
}
