import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// JSON over HTTP for the server backends, turning every way a request can fail into a `BackendError`.
///
/// Built on AsyncHTTPClient (SwiftNIO, epoll) rather than FoundationNetworking: on Linux, URLSession
/// keeps a socket's write source armed after the request is sent, so while the server computes,
/// libdispatch wakes libcurl for the writable socket over and over and the client spins on a core.
public struct HTTPTransport: Sendable {
    /// Seconds without a byte from the server before a request fails.
    public let idleTimeout: Double
    /// Extra headers (an API key's Authorization header).
    public let headers: [String: String]

    public init(idleTimeout: Double, headers: [String: String] = [:]) {
        self.idleTimeout = idleTimeout
        self.headers = headers
    }

    /// POSTs `body` as JSON to `url`; `server` names the server in error messages.
    public func postJSON(_ body: Data, to url: URL, server: String) async throws -> HTTPResponse {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))

        // One client per request, like one connection per request: nothing outlives the exchange.
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let outcome: Result<HTTPResponse, any Error>
        do {
            let response = try await client.execute(request, timeout: .hours(24 * 365))
            var collected = Data()
            for try await chunk in response.body {
                collected.append(contentsOf: chunk.readableBytesView)
            }
            outcome = .success(HTTPResponse(status: Int(response.status.code), body: collected))
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        do {
            return try outcome.get()
        } catch let error as CancellationError {
            throw error
        } catch {
            throw describe(error, server: server)
        }
    }

    private var configuration: HTTPClient.Configuration {
        var pool = HTTPClient.Configuration.ConnectionPool()
        // RetryPolicy retries; the pool must fail a refused connection at once instead of backing off.
        pool.retryConnectionEstablishment = false
        return HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            // The read timeout restarts with every byte: a long streamed answer is fine, a stall is not.
            timeout: .init(connect: .seconds(10), read: .milliseconds(Int64(idleTimeout * 1000))),
            connectionPool: pool,
            decompression: .disabled)
    }

    func describe(_ error: any Error, server: String) -> BackendError {
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout:
                return BackendError(
                    .timeout,
                    "\(server) sent nothing for \(Self.seconds(idleTimeout)) s; it may be overloaded or stuck (raise --timeout to wait longer)"
                )
            case .connectTimeout:
                return BackendError(.timeout, "\(server) did not accept the connection in 10 s; it may be overloaded")
            case .cancelled:
                return BackendError(.truncatedResponse, "the request to \(server) was cancelled")
            default:
                return BackendError(.truncatedResponse, "\(server) closed the connection before the answer was complete (\(error))")
            }
        }
        if error is NIOConnectionError
            || (error as? IOError).map({ [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains($0.errnoCode) }) == true
            || String(describing: error).contains("connection refused")
        {
            return BackendError(
                .connectionRefused,
                "cannot connect to \(server) (connection refused); check that the server is running and --host / --base-url is right")
        }
        // Resets and half-sent answers (NIO's IOError ECONNRESET, HTTP parser errors) and the like.
        return BackendError(.truncatedResponse, "\(server) closed the connection before the answer was complete (\(error))")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
