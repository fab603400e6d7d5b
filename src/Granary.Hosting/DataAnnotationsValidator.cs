using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Granary.Hosting;

/// <summary>Checks options by the ranges declared on them, when the host starts: a bad value stops it before it serves.</summary>
internal sealed class DataAnnotationsValidator<T> : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"{typeof(T).Name}: {e.ErrorMessage}"));
    }
}
