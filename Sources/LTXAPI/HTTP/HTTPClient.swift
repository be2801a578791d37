import Dispatch
import Foundation
import LTXCore

/// Sends HTTP requests over libcurl; blocking transfers run on their own bounded executor, never on Swift's
/// cooperative pool.
public final class HTTPClient: Sendable {
    /// Settings applied to every transfer.
    public let configuration: HTTPClientConfiguration
    /// Transfers wait on sockets, not on a core, so they get their own lanes: as many as the account's requests in
    /// flight plus the downloads running beside them, and never so many that a stuck server exhausts threads.
    static let executor = BlockingExecutor(name: "ltxpipe.http", width: 24)

    /// A client with `configuration`.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
    }

    /// Sends `request` and collects the whole response (up to `maxResponseBytes`). Never follows redirects.
    /// Any status is returned as a response; only transport failures throw.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let configuration = self.configuration
        return try await HTTPClient.runBlocking { (flag: CancellationFlag) throws(HTTPError) -> HTTPResponse in
            let state = TransferState(bodyLimit: configuration.maxResponseBytes, cancellation: flag)
            let timings = try HTTPTransfer.perform(request, configuration: configuration, options: .init(), state: state)
            return HTTPResponse(status: state.status, headers: state.headers, body: state.body, timings: timings)
        }
    }

    /// Runs `body` on the HTTP queue; cancelling the calling task raises the flag the transfer watches.
    static func runBlocking<T: Sendable>(_ body: @escaping @Sendable (CancellationFlag) throws(HTTPError) -> T) async throws(HTTPError) -> T {
        let flag = CancellationFlag()
        let result: Result<T, HTTPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                executor.submit {
                    do throws(HTTPError) {
                        continuation.resume(returning: .success(try body(flag)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
            }
        } onCancel: {
            flag.raise()
        }
        return try result.get()
    }
}
