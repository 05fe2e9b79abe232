import Foundation

/// A finished HTTP exchange: the status and the whole body.
public struct HTTPResponse: Sendable {
    public let status: Int
    public let body: Data
}
