namespace Granary.Cli.Tests.Faults;

/// <summary>Fault-injection tests (kill -9, a full disk) run one at a time, after the assembly's other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
