import AssayTestSupport
import Foundation
import Testing

/// Acknowledged scores survive `kill -9`, a restart resumes at the next unscored item, and three
/// annotators can score the same run at the same time: on a SQLite file and on PostgreSQL over TCP.
@Suite struct ReviewDurabilityTests {
    /// A running `assay review` fed line by line, its output collected as it comes.
    final class RunningReview: @unchecked Sendable {
        let process = Process()
        private let input = Pipe()
        private let output = Pipe()
        private let lock = NSLock()
        private var collected = Data()

        init(arguments: [String], environment: [String: String]) throws {
            process.executableURL = AssayBinary.url
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            output.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self else { return }
                self.lock.lock()
                self.collected.append(data)
                self.lock.unlock()
            }
            try process.run()
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: collected, as: UTF8.self)
        }

        func send(_ line: String) {
            input.fileHandleForWriting.write(Data((line + "\n").utf8))
        }

        /// Waits (up to a minute, not a timing assertion) until the output satisfies `condition`.
        func wait(until condition: (String) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if condition(text) { return true }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return condition(text)
        }

        func killHard() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            output.fileHandleForReading.readabilityHandler = nil
        }
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The heading and text of the last item shown: "── 8/40 · Run B · 7/40 scored ...\nText  Item 12: ...".
    static func lastItemShown(in text: String) -> String? {
        guard let heading = text.components(separatedBy: "\n── ").last?.split(separator: "\n").prefix(2) else { return nil }
        return heading.joined(separator: "\n").replacingOccurrences(of: #" · \d+/\d+ scored.*"#, with: "", options: .regularExpression)
    }

    @Test(arguments: TestStore.available)
    func killNineAfterAcknowledgedScoresLosesNoneAndRestartResumesAtTheNextItem(on store: TestStore) throws {
        let fixture = try ReviewFixture(items: 20, on: store)
        let arguments = ["review", "--annotator", "dana"] + fixture.commonArguments
        let review = try RunningReview(arguments: arguments, environment: fixture.environment)
        let acknowledged = 7
        #expect(review.wait { $0.contains("Score: ") })
        for index in 1...acknowledged {
            review.send("\(1 + index % 5) 4 3 note \(index)")
            #expect(review.wait { Self.occurrences(of: "saved: ", in: $0) == index && $0.hasSuffix("(help lists the commands)\n") })
        }
        let nextItem = Self.lastItemShown(in: review.text)
        review.killHard()
        #expect(review.process.terminationReason == .uncaughtSignal)

        let stored = try fixture.scores(of: "dana")
        #expect(stored.count == acknowledged)
        #expect(Set(stored.compactMap(\.comment)) == Set((1...acknowledged).map { "note \($0)" }))

        let restarted = try fixture.review(["--annotator", "dana"], input: "quit\n")
        #expect(restarted.status == 0)
        #expect(restarted.stdout.contains("\(acknowledged)/40 scored"))
        #expect(nextItem != nil && Self.lastItemShown(in: "\n" + restarted.stdout.components(separatedBy: "\nBye.").first!) == nextItem)
    }

    @Test(arguments: TestStore.available)
    func threeAnnotatorsScoringTheSameRunAtOnceStoreEveryScore(on store: TestStore) async throws {
        let fixture = try ReviewFixture(items: 600, models: [ReviewFixture.models[0]], on: store)
        let script = String(repeating: "3 4 5 concurrent\n", count: 500) + "quit\n"
        let annotators = ["alice", "bob", "carol"]
        let results = try await withThrowingTaskGroup(of: AssayBinary.Result.self) { group in
            for annotator in annotators {
                group.addTask { try fixture.review(["--annotator", annotator], input: script) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results {
            #expect(result.status == 0)
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            #expect(Self.occurrences(of: "saved: ", in: result.stdout) == 500)
        }
        for annotator in annotators {
            #expect(try fixture.scores(of: annotator).count == 500)
            #expect(try fixture.historyActions(of: annotator) == Array(repeating: "insert", count: 500))
        }

        // One of them comes back, scores 20 more, and is killed mid-session: all 520 stay, and a
        // restart resumes at the next unscored item and finishes the run.
        let review = try RunningReview(
            arguments: ["review", "--annotator", "carol"] + fixture.commonArguments, environment: fixture.environment)
        #expect(review.wait { $0.contains("Score: ") })
        for index in 1...20 {
            review.send("2 3 4 second session \(index)")
            #expect(review.wait { Self.occurrences(of: "saved: ", in: $0) == index && $0.hasSuffix("(help lists the commands)\n") })
        }
        review.killHard()
        #expect(try fixture.scores(of: "carol").count == 520)
        let rest = try fixture.review(["--annotator", "carol"], input: String(repeating: "1 1 1\n", count: 80) + "quit\n")
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(rest.stdout.contains("520/600 scored"))
        #expect(rest.stdout.contains("Nothing left to serve"))
        #expect(try fixture.scores(of: "carol").count == 600)
    }
}
