import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// JSON over HTTP for the server backends, turning every way a request can fail into a `BackendError`.
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
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let timeout = idleTimeout
        let exchange = HTTPExchange(idleTimeout: timeout) {
            BackendError(.timeout, "\(server) sent nothing for \(Self.seconds(timeout)) s; it may be overloaded or stuck (raise --timeout to wait longer)")
        }
        do {
            return try await exchange.perform(request)
        } catch let error as BackendError {
            throw error
        } catch let error as URLError {
            throw Self.describe(error, server: server)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw BackendError(.truncatedResponse, "\(server) closed the connection before the answer was complete (\(error.localizedDescription))")
        }
    }

    static func describe(_ error: URLError, server: String) -> BackendError {
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed:
            return BackendError(.connectionRefused, "cannot connect to \(server) (connection refused); check that the server is running and --host / --base-url is right")
        case .timedOut:
            return BackendError(.timeout, "\(server) did not answer in time; it may be overloaded (raise --timeout to wait longer)")
        default:
            // libcurl's "transfer closed with outstanding read data remaining" and the like.
            return BackendError(.truncatedResponse, "\(server) closed the connection before the answer was complete (\(error.localizedDescription))")
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
