using Microsoft.Extensions.Options;

namespace Granary.Server.Hosting;

/// <summary>Checks <see cref="GranaryServerOptions"/> by their own rules when the host starts, so that a bad value stops it before it listens.</summary>
internal sealed class GranaryServerOptionsValidator : IValidateOptions<GranaryServerOptions>
{
    public ValidateOptionsResult Validate(string? name, GranaryServerOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (GranaryException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
