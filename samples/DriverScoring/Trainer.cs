using Apache.Arrow;
using Granary;
using Granary.Offline;
using Granary.Repo;
using Microsoft.ML;

namespace DriverScoring;

/// <summary>
/// Trains the model on Granary's point-in-time-correct training data: each order gets the driver's features
/// as they were when the order came in, never later ones.
/// </summary>
internal static class Trainer
{
    public const string FeatureService = "driver_scoring";

    /// <summary>Reads the training data, trains a FastTree binary classifier, saves it and returns its AUC on held-out orders.</summary>
    public static async Task<double> TrainAsync(string repoPath, string modelPath, CancellationToken cancellationToken = default)
    {
        await using var store = Backends.Add(new FeatureStoreBuilder(FeatureRepo.LoadConfig(repoPath))).Build();
        var rows = await TrainingRowsAsync(store, Path.Combine(repoPath, "data", "orders.csv"), cancellationToken);

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var trainer = ml.BinaryClassification.Trainers.FastTree(
            labelColumnName: nameof(ModelInput.Label), featureColumnName: nameof(ModelInput.Features),
            numberOfLeaves: 8, numberOfTrees: 100, minimumExampleCountPerLeaf: 10, learningRate: 0.1);
        var model = trainer.Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet), labelColumnName: nameof(ModelInput.Label));
        ml.Model.Save(model, data.Schema, modelPath);
        return metrics.AreaUnderRocCurve;
    }

    /// <summary>One model input per entity row of <paramref name="entitiesPath"/>, from Granary's training data.</summary>
    public static async Task<List<ModelInput>> TrainingRowsAsync(FeatureStore store, string entitiesPath, CancellationToken cancellationToken = default)
    {
        await using var result = await store.GetHistoricalFeaturesAsync(
            new HistoricalFeaturesRequest { Entities = EntityInput.FromFile(entitiesPath), FeatureService = FeatureService }, cancellationToken);
        var rows = new List<ModelInput>();
        await foreach (var batch in result.ReadAsync(cancellationToken))
        {
            for (var row = 0; row < batch.Length; row++)
            {
                var label = batch.Schema.GetFieldIndex("completed") is var index and >= 0 && Equals(ArrowBatches.GetValue(batch.Column(index), row), 1L);
                rows.Add(ModelInput.From(name => Value(batch, name, row), label));
            }
        }

        return rows;
    }

    private static object? Value(RecordBatch batch, string name, int row) =>
        ArrowBatches.GetValue(batch.Column(batch.Schema.GetFieldIndex(name)), row);
}
