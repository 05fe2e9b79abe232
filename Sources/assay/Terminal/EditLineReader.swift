import AssayReview
@preconcurrency import CEditLine
import Foundation
@preconcurrency import Glibc
import Synchronization

/// Reads lines on a terminal with libedit: in-line editing, history (saved after every line, so a
/// killed session loses none), Tab completion, non-ASCII input, Ctrl-C to abandon the line being
/// typed, Ctrl-D to end.
///
/// libedit is process-global state and its callbacks are C functions that capture nothing, so the
/// completion vocabulary and the Ctrl-C flags live in module-level locks; create one reader per process.
public final class EditLineReader: LineReader {
    private let historyPath: String?

    /// `historyFile` is created with its folder when missing; nil keeps history in memory only.
    public init(historyFile: URL?, completion: ReviewCompletion) {
        // Without a locale, libedit silently drops every non-ASCII character typed.
        setlocale(LC_ALL, "")
        if let historyFile {
            try? FileManager.default.createDirectory(at: historyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        historyPath = historyFile?.path
        completionState.withLock { $0 = CompletionState(completion: completion, matches: []) }
        // libedit keeps these pointers for the life of the process, so they are allocated once and never freed.
        rl_readline_name = UnsafePointer(strdup("assay"))
        // Libedit's own handlers re-raise SIGINT, which would end the process; ours only sets a flag.
        rl_catch_signals = 0
        rl_getc_function = readCharacter
        rl_attempted_completion_function = attemptCompletion
        // Only blanks separate words, so that `gold=pos` completes as one word.
        let blanks = strdup(" \t\n")
        rl_completer_word_break_characters = blanks
        // libedit's completer reads this one.
        rl_basic_word_break_characters = UnsafePointer(blanks)
        installInterruptHandler()
        using_history()
        // A missing file (ENOENT) just means no history yet.
        if let historyPath { _ = read_history(historyPath) }
    }

    public func read(prompt: String) -> LineInput {
        interruptPending.store(false, ordering: .relaxed)
        lineAbandoned.store(false, ordering: .relaxed)
        readingThread.store(UInt(pthread_self()), ordering: .relaxed)
        // Worker threads start with every signal blocked; this one must take SIGINT to leave its read().
        var interruptOnly = sigset_t()
        sigemptyset(&interruptOnly)
        sigaddset(&interruptOnly, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interruptOnly, nil)
        guard let raw = readline(prompt) else { return .end }
        defer { free(raw) }
        if lineAbandoned.exchange(false, ordering: .relaxed) { return .interrupted }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(line)
            if let historyPath { _ = write_history(historyPath) }
        }
        return .line(line)
    }
}

private struct CompletionState {
    var completion: ReviewCompletion?
    var matches: [String]
}

private let completionState = Mutex(CompletionState(completion: nil, matches: []))
/// The thread blocked in `read`: the kernel delivers SIGINT to a thread that does not block it (the
/// main thread; the command runs on a worker), and only a signal on the reading thread interrupts its read.
private let readingThread = Atomic<UInt>(0)
/// Set by the SIGINT handler; consumed by the character reader.
private let interruptPending = Atomic<Bool>(false)
/// Set when Ctrl-C ended the line, so that `read` reports an interruption instead of the text.
private let lineAbandoned = Atomic<Bool>(false)

private func installInterruptHandler() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { signal in
        let reader = readingThread.load(ordering: .relaxed)
        if reader != 0 && reader != UInt(pthread_self()) {
            // Pass it on to the thread blocked in read(), which then gets EINTR.
            pthread_kill(pthread_t(reader), signal)
        } else {
            interruptPending.store(true, ordering: .relaxed)
        }
    }
    sigemptyset(&action.sa_mask)
    // No SA_RESTART: the blocked read() must return EINTR so the line can be abandoned at once.
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
}

/// libedit's character source: one Unicode scalar decoded from UTF-8 on standard input. Ctrl-C
/// (a read interrupted by SIGINT) prints ^C and ends the line, which `read` then discards.
private let readCharacter: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { _ in
    func nextByte() -> UInt8?? {
        var byte: UInt8 = 0
        while true {
            let count = Glibc.read(STDIN_FILENO, &byte, 1)
            if count == 1 { return .some(byte) }
            if count == 0 { return .some(nil) }
            guard errno == EINTR else { return .some(nil) }
            if interruptPending.exchange(false, ordering: .relaxed) { return nil }
        }
    }
    guard let first = nextByte() else {
        lineAbandoned.store(true, ordering: .relaxed)
        _ = "^C".withCString { Glibc.write(STDOUT_FILENO, $0, 2) }
        return 10
    }
    guard let lead = first else { return -1 }
    let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    guard length > 1 else { return Int32(lead) }
    var scalar = UInt32(lead) & (0xFF >> (length + 1))
    for _ in 1..<length {
        guard case .some(.some(let continuation)) = nextByte(), continuation & 0xC0 == 0x80 else { return 0xFFFD }
        scalar = scalar << 6 | UInt32(continuation & 0x3F)
    }
    return Int32(bitPattern: scalar)
}

private let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? =
    { text, start, _ in
        // Never fall back to file names.
        rl_attempted_completion_over = 1
        guard let text else { return nil }
        let buffer =
            rl_line_buffer.map {
                Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: Int(max(start, 0))))
            } ?? []
        let before = String(decoding: buffer, as: UTF8.self)
        let word = String(cString: text)
        completionState.withLock { state in
            state.matches = state.completion?.candidates(before: before, word: word) ?? []
        }
        return rl_completion_matches(text, completionMatch)
    }

/// libedit asks for match 0, 1, 2, ... and frees each string it gets.
private let completionMatch: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, index in
    completionState.withLock { state in
        index >= 0 && Int(index) < state.matches.count ? strdup(state.matches[Int(index)]) : nil
    }
}
