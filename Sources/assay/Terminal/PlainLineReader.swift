/// Reads standard input line by line without prompts or editing, so that a session can be scripted.
public final class PlainLineReader: LineReader {
    public init() {}

    public func read(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .end }
        return .line(line.hasSuffix("\r") ? String(line.dropLast()) : line)
    }
}
