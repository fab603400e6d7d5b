using Granary.Server.Auth;
using Granary.Server.Rest;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Granary.Server.Grpc;

/// <summary>
/// Wraps every gRPC call as <see cref="FeatureServerFilter"/> wraps every REST endpoint: gives the call its
/// request id, checks its API key against the method's <see cref="RequiredScope"/>, and ends a failure with the
/// status code of the meaning <see cref="ServerErrorReporter"/> gives it, the same as REST's.
/// </summary>
internal sealed class ServerErrorInterceptor(ApiKeyAuthenticator auth, ServerErrorReporter errors, ILogger<ServerErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var http = context.GetHttpContext();
        var requestId = RequestIds.Of(http);
        using var logScope = RequestLogScope.Begin(logger, requestId);
        var scope = http.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope ?? FeatureServerScopes.None;
        if (auth.Check(http, scope) is { } denied)
        {
            errors.Report(denied, context.Method, requestId);
            throw denied.ToRpcException();
        }

        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException && !context.CancellationToken.IsCancellationRequested)
        {
            var error = await errors.DescribeAsync(e, context.Method, requestId).ConfigureAwait(false);
            throw error.ToRpcException();
        }
    }
}
