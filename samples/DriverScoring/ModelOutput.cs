namespace DriverScoring;

/// <summary>What the binary classifier answers.</summary>
internal sealed class ModelOutput
{
    /// <summary>The raw score (the trees' sum).</summary>
    public float Score { get; set; }

    /// <summary>The calibrated probability that the driver completes the order.</summary>
    public float Probability { get; set; }

    /// <summary>Whether the probability is over one half.</summary>
    public bool PredictedLabel { get; set; }
}
