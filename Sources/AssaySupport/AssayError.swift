/// A failure the user can act on: one line that says what went wrong, where, and how to fix it.
///
/// Every library target reports bad input through this type (or a type conforming to
/// `CustomStringConvertible` with the same one-line contract), so the command line can print
/// it as is and exit non-zero.
public struct AssayError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
