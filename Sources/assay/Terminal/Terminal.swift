import Glibc

/// Facts about the terminal the REPL runs in.
public enum Terminal {
    /// Whether standard input is a terminal (else the session is scripted).
    public static var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// The width of standard output in columns, or `fallback` when it is not a terminal.
    public static func columns(fallback: Int = 80) -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return fallback }
        return Int(size.ws_col)
    }
}
