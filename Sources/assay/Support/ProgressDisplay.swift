import AssayInference
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Shows a run's progress on stderr: a redrawn bar on a terminal, plain lines (at most one every
/// `lineInterval` seconds) when stderr is a file or a pipe.
final class ProgressDisplay: Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let lineInterval: Double
    private let lastLine = Mutex<ContinuousClock.Instant?>(nil)

    init(lineInterval: Double = 5) {
        self.lineInterval = lineInterval
    }

    func handle(_ event: RunEvent) {
        switch event {
        case .warmingUp:
            write("warming up (one request, one per server for a fleet; not measured)\n")
        case .measuring:
            write("measuring\n")
        case .retrying(let attempt, let error, let delay):
            clearBar()
            write("retrying in \(String(format: "%.1f", delay)) s (attempt \(attempt + 1)): \(error)\n")
        case .committed:
            break
        case .progress(let progress):
            if isTerminal {
                write("\r" + bar(progress) + "\u{1B}[K")
                if progress.done == progress.total { write("\n") }
            } else if shouldWriteLine(final: progress.done == progress.total) {
                write(line(progress) + "\n")
            }
        }
    }

    func message(_ text: String) {
        clearBar()
        write(text + "\n")
    }

    private func shouldWriteLine(final: Bool) -> Bool {
        lastLine.withLock { last in
            let now = ContinuousClock.now
            if final || last.map({ now - $0 >= .seconds(lineInterval) }) ?? true {
                last = now
                return true
            }
            return false
        }
    }

    private func bar(_ progress: RunProgress) -> String {
        let width = 24
        let fraction = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 1
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        return "[\(bar)] " + line(progress)
    }

    private func line(_ progress: RunProgress) -> String {
        var parts = ["\(progress.done)/\(progress.total)", String(format: "%.2f items/s", progress.rate)]
        if let left = progress.secondsLeft { parts.append("ETA \(Self.duration(left))") }
        if progress.completionTokens > 0 { parts.append(String(format: "%.1f tok/s", progress.tokensPerSecond)) }
        return parts.joined(separator: "  ")
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600
            ? "\(whole / 3600)h\(String(format: "%02d", whole % 3600 / 60))m"
            : whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }

    private func clearBar() {
        if isTerminal { write("\r\u{1B}[K") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
