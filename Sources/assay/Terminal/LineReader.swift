/// What reading one line gave.
public enum LineInput: Sendable, Equatable {
    case line(String)
    /// Ctrl-C: the line being typed was abandoned.
    case interrupted
    /// Ctrl-D or the end of the input.
    case end
}

/// Where the REPL's lines come from: libedit on a terminal, plain lines from a pipe or file.
public protocol LineReader: AnyObject {
    func read(prompt: String) -> LineInput
}
