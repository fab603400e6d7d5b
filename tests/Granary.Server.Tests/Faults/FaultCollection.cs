namespace Granary.Server.Tests.Faults;

/// <summary>
/// Fault-injection tests kill stores, fill descriptors and load the server: they run one at a time, after the
/// assembly's other tests, so that none fights another for the machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
