/// A failure of the engine the user can act on: one line saying what, where, and how to fix it.
public struct AssayEngineError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
