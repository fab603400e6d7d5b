using System.Globalization;

namespace Granary.Redis;

/// <summary>
/// What <c>{project}:_layout</c> says about a project's keys: <c>2</c> when every row is in layout 2
/// (a blob per view), <c>2+1</c> when rows of layout 1 (a field per feature, release 0.1) may
/// remain until a write rewrites them. A project without the key was written by release 0.1, or not at all.
/// </summary>
/// <param name="MayHoldLayout1">Whether rows of layout 1 may remain, so reads and writes look for them.</param>
internal readonly record struct RedisLayoutMarker(bool MayHoldLayout1)
{
    /// <summary>The marker's text in Redis.</summary>
    public string Text => MayHoldLayout1 ? "2+1" : "2";

    /// <summary>Reads a stored marker.</summary>
    /// <exception cref="GranaryException">The marker names a layout newer than this release, or is not a marker.</exception>
    public static RedisLayoutMarker Parse(string project, string text)
    {
        switch (text)
        {
            case "2":
                return new RedisLayoutMarker(false);
            case "2+1":
                return new RedisLayoutMarker(true);
        }

        var digits = text.TakeWhile(char.IsAsciiDigit).Count();
        if (digits > 0 && int.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > RedisLayout.Version)
        {
            throw new GranaryException(
                $"project '{project}' in the Redis online store is in key layout {version} (key '{RedisLayout.LayoutKey(project)}'), written by a newer Granary; this release reads layouts 1 and {RedisLayout.Version}: upgrade Granary");
        }

        throw new GranaryException(
            $"project '{project}' in the Redis online store has an unreadable layout marker '{text}' at key '{RedisLayout.LayoutKey(project)}'; expected '2' or '2+1'");
    }
}
