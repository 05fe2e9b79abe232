/// Why a backend could not answer, as one line that says what to do.
public struct BackendError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case connectionRefused
        case unknownModel
        case http(status: Int)
        case malformedResponse
        case truncatedResponse
        case timeout
        case unsupported
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// Failures worth retrying: the server may be restarting, overloaded or dropped the connection.
    public var isTransient: Bool {
        switch kind {
        case .connectionRefused, .truncatedResponse, .timeout: true
        case .http(let status): status == 429 || status >= 500
        case .unknownModel, .malformedResponse, .unsupported: false
        }
    }

    /// Failures that say more about the server than the request: another server of a fleet may
    /// answer it. A request the server refused (HTTP 4xx other than 429) would fail anywhere.
    public var isServerFault: Bool {
        switch kind {
        case .connectionRefused, .truncatedResponse, .timeout, .unknownModel, .malformedResponse: true
        case .http(let status): status == 429 || status >= 500
        case .unsupported: false
        }
    }
}
