using Granary.Online;

namespace Granary.Ui.Catalog;

/// <summary>The "try it" form of a page: its inputs, what was entered, and the read's outcome once submitted.</summary>
/// <param name="Inputs">The join keys and request fields to enter.</param>
/// <param name="Values">What was entered, by input name; empty before a submit.</param>
/// <param name="Submitted">Whether the form was submitted (a read was made).</param>
/// <param name="Response">The read's result, or null.</param>
/// <param name="Error">Why the read failed, in the facade's words, or null.</param>
/// <param name="Curl">The same read as a curl command against <c>granary serve</c>.</param>
public sealed record TryItState(
    IReadOnlyList<TryInput> Inputs, IReadOnlyDictionary<string, string> Values, bool Submitted, OnlineResponse? Response, string? Error, string Curl);
