import AssayTestSupport
import Foundation
import Testing

/// `assay review` in a real terminal (tmux): libedit editing, Tab completion, history, Ctrl-C.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "needs tmux"))
struct ReviewTerminalTests {
    /// A detached tmux server of its own running one command in a 120x40 pane.
    final class TmuxPane {
        let socket = "assay-review-test-\(UUID().uuidString.prefix(8))"

        /// `configuration` is a file for tmux's own settings (written here).
        init(command: String, configuration: String) throws {
            // The pane stays after the command ends, so its last screen can still be read; no sleeping shell
            // is left behind for kill-server to wait on.
            try "set-option -g remain-on-exit on\n".write(toFile: configuration, atomically: true, encoding: .utf8)
            try tmux(["-f", configuration, "new-session", "-d", "-x", "120", "-y", "40", command])
        }

        /// Ends the server and its pane.
        func close() { _ = try? tmux(["kill-server"]) }

        /// Runs tmux and returns what it printed. posix_spawn and waitpid rather than Process:
        /// Foundation's Process never saw the tmux client exit (the client forks the server).
        @discardableResult
        func tmux(_ arguments: [String]) throws -> String {
            let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
            defer { try? FileManager.default.removeItem(atPath: outputPath) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            // Test threads block every signal and a spawned process inherits the mask: unblock them, or the
            // tmux server ignores the SIGTERM that kill-server sends it.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var noSignals = sigset_t()
            sigemptyset(&noSignals)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
            let argv = (["/usr/bin/tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
            defer { for argument in argv { free(argument) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environ)
            guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        }

        /// Types text literally (no key names), once libedit waits at an empty prompt: libedit
        /// discards what is typed before it takes the terminal.
        func type(_ text: String) throws {
            let deadline = Date().addingTimeInterval(60)
            while try !screen().trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("review>"), Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            try tmux(["send-keys", "-l", text])
        }

        /// Presses keys by name: Enter, Tab, Up, C-c.
        func press(_ keys: String...) throws { try tmux(["send-keys"] + keys) }

        /// The pane with its scrollback.
        func screen() throws -> String { try tmux(["capture-pane", "-p", "-J", "-S", "-2000"]) }

        /// Waits (up to a minute, not a timing assertion) until `needle` appears `count` times.
        func wait(for needle: String, count: Int = 1) throws -> Bool {
            let deadline = Date().addingTimeInterval(60)
            repeat {
                if try screen().components(separatedBy: needle).count - 1 >= count { return true }
                Thread.sleep(forTimeInterval: 0.05)
            } while Date() < deadline
            return false
        }
    }

    @Test func typingCompletionHistoryBackUndoCompareAndQuitStoreExactlyWhatWasTyped() throws {
        let fixture = try ReviewFixture(items: 4)
        let command =
            ([
                "env", "XDG_DATA_HOME=\(fixture.folder.path("xdg"))", AssayBinary.url.path, "review", "--annotator", "alice",
                "--order", "sequential",
            ] + fixture.commonArguments).map { "'\($0)'" }.joined(separator: " ")
        let pane = try TmuxPane(command: command + "; echo REVIEW-EXITED-$?", configuration: fixture.folder.path("tmux.conf"))
        defer { pane.close() }
        #expect(try pane.wait(for: "review> "))

        // A score with a comment (non-ASCII included).
        try pane.type("4 5 3 reasoning repeats itself, café")
        try pane.press("Enter")
        #expect(try pane.wait(for: "saved: consistency 4 · clarity 5 · alignment 3 · \"reasoning repeats itself, café\""))

        // Tab completes "comp" to "compare".
        try pane.type("comp")
        try pane.press("Tab")
        try pane.press("Enter")
        #expect(try pane.wait(for: "── compare · 2 runs"))
        #expect(try pane.screen().contains("review> compare"))

        // Up Up recalls the score line; Enter scores item 2 with it.
        #expect(try pane.wait(for: "review> ", count: 3))
        try pane.press("Up", "Up")
        try pane.press("Enter")
        #expect(try pane.wait(for: "saved: consistency 4 · clarity 5 · alignment 3", count: 2))

        // back shows item 2 with its score; a new score replaces it; undo restores it.
        try pane.type("back")
        try pane.press("Enter")
        #expect(try pane.wait(for: "Your score consistency 4 · clarity 5 · alignment 3"))
        try pane.type("2 2 2 revised")
        try pane.press("Enter")
        #expect(try pane.wait(for: "saved: consistency 2 · clarity 2 · alignment 2 · \"revised\""))
        try pane.type("undo")
        try pane.press("Enter")
        #expect(try pane.wait(for: "undone: restored: consistency 4 · clarity 5 · alignment 3"))

        // Ctrl-C abandons a half-typed line: nothing is stored and the session goes on.
        try pane.type("5 5 5 never stored")
        // Under load the keys can outrun the echo: press Ctrl-C once the whole line is on screen.
        #expect(try pane.wait(for: "review> 5 5 5 never stored"))
        try pane.press("C-c")
        #expect(try pane.wait(for: "never stored^C"))
        try pane.type("quit")
        try pane.press("Enter")
        #expect(try pane.wait(for: "REVIEW-EXITED-0"))

        let run = fixture.runIDs[0]
        let typed = ReviewFixture.values(4, 5, 3)
        #expect(
            try fixture.scores(of: "alice") == [
                .init(position: 1, runID: run, criteria: typed, comment: "reasoning repeats itself, café"),
                .init(position: 2, runID: run, criteria: typed, comment: "reasoning repeats itself, café"),
            ])
        #expect(try fixture.historyActions(of: "alice") == ["insert", "insert", "update", "update"])
        let history = try String(contentsOfFile: fixture.folder.path("xdg/assay/history/alice.history"), encoding: .utf8)
        #expect(history.contains("undo"))
        #expect(!history.contains("never"))
    }

    /// A new user's first review: no rubric file in the folder it runs from, none in the database.
    @Test func reviewInAnEmptyFolderOpensWithTheBuiltInRubric() throws {
        let fixture = try ReviewFixture(items: 2, storingRubric: false)
        #expect(try fixture.storedRubrics().isEmpty)
        let empty = fixture.folder.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        let command =
            ([
                "env", "XDG_DATA_HOME=\(fixture.folder.path("xdg"))", AssayBinary.url.path, "review", "--annotator", "alice",
                "--order", "sequential", "--db", fixture.databasePath,
            ]).map { "'\($0)'" }.joined(separator: " ")
        let pane = try TmuxPane(
            command: "cd '\(empty)' && " + command + "; echo REVIEW-EXITED-$?",
            configuration: fixture.folder.path("tmux.conf"))
        defer { pane.close() }
        #expect(try pane.wait(for: "review> "))
        #expect(try pane.screen().contains("consistency"))
        try pane.type("4 5 3 first score")
        try pane.press("Enter")
        #expect(try pane.wait(for: "saved: consistency 4 · clarity 5 · alignment 3 · \"first score\""))
        try pane.type("quit")
        try pane.press("Enter")
        #expect(try pane.wait(for: "REVIEW-EXITED-0"))

        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty)
        let builtIn = try String(contentsOfFile: ReviewFixture.rubricPath, encoding: .utf8)
        let stored = try fixture.storedRubrics()
        #expect(stored.map { Array($0.prefix(2)) } == [["sentiment-review", "1"]])
        #expect(stored.first?.last?.trimmingCharacters(in: .newlines) == builtIn.trimmingCharacters(in: .newlines))
        #expect(
            try fixture.scores(of: "alice") == [
                .init(position: 1, runID: fixture.runIDs[0], criteria: ReviewFixture.values(4, 5, 3), comment: "first score")
            ])
    }
}
