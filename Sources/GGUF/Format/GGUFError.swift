/// A GGUF file that cannot be read or written, as one line: the file, the byte offset, what is wrong.
public struct GGUFError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The byte offset of the offending field, when the error is about file contents.
    public let offset: Int?
    public let message: String
    /// The file's path, when known.
    public let path: String?

    public init(offset: Int? = nil, _ message: String, path: String? = nil) {
        self.offset = offset
        self.message = message
        self.path = path
    }

    /// The same error, naming the file it came from.
    func located(in path: String) -> GGUFError {
        GGUFError(offset: offset, message, path: path)
    }

    public var description: String {
        let prefix = path.map { "\($0): " } ?? ""
        if let offset { return "\(prefix)invalid GGUF at byte \(offset): \(message)" }
        return prefix + message
    }
}

extension String {
    /// The string quoted for a one-line message: control characters escaped, long names cut.
    var quotedForMessage: String {
        let limit = 80
        let cut = count > limit ? String(prefix(limit)) + "..." : self
        var escaped = ""
        for scalar in cut.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                escaped += scalar.escaped(asASCII: true)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return "'\(escaped)'"
    }
}
