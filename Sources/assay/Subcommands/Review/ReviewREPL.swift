import AssayReview
import Foundation

/// The read-print loop around a review session: libedit on a terminal, plain lines otherwise.
enum ReviewREPL {
    static func run(session: ReviewSession, first: ReviewReply, annotator: String, prompt: String) throws {
        let interactive = Terminal.inputIsTerminal
        let reader: any LineReader =
            interactive
            ? EditLineReader(historyFile: HistoryFileLocation.url(annotator: annotator), completion: session.completion)
            : PlainLineReader()
        show(first.text)
        while true {
            switch reader.read(prompt: prompt) {
            case .interrupted:
                // libedit has already ended the abandoned line with ^C.
                continue
            case .end:
                // On a terminal, Ctrl-D leaves the cursor after the prompt.
                show((interactive ? "\n" : "") + (try session.handle("quit").text))
                return
            case .line(let line):
                let reply = try session.handle(line)
                if !reply.text.isEmpty { show(reply.text) }
                if reply.ended { return }
                do {
                    try session.performUpkeep()
                } catch {
                    // The score is already committed; a checkpoint that fails only lets the log grow.
                    FileHandle.standardError.write(
                        Data(
                            "assay: warning: could not checkpoint the database log (\(error)); scores are stored, the log grows until the next checkpoint\n"
                                .utf8))
                }
            }
        }
    }

    /// Written unbuffered: a score's acknowledgement must be out before the next line is read.
    private static func show(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
