using System.Text.Json.Serialization;
using Granary.Datasets;
using Granary.Definitions;

namespace Granary.Registry;

/// <summary>
/// Serialization code for the registry's own types, generated at build time. Reflection-based
/// metadata emitted IL and compiled it at the start of every process that read a registry (about
/// half of a one-shot CLI command's CPU); generated code is compiled ahead of time with the rest.
/// Naming, enum and source-kind rules still come from <see cref="RegistryJson"/>'s options; sources
/// of backend kinds fall back to reflection.
/// </summary>
[JsonSerializable(typeof(FileRegistry.RegistryDocument))]
[JsonSerializable(typeof(RegistrySnapshot))]
[JsonSerializable(typeof(DefinitionSet))]
[JsonSerializable(typeof(SavedDataset))]
[JsonSerializable(typeof(FileSource))]
[JsonSerializable(typeof(PushSource))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
