import AssayTestSupport
import Foundation
import Testing

/// Blind mode, on the built binary: no command's output names a model or a quantization, or shows
/// another annotator's score.
@Suite struct ReviewBlindModeTests {
    /// Every command, on an item other annotators scored (sequential order starts on one).
    static let script = [
        "show", "compare", "4 4 4 mine", "back", "stats", "help", "rubric", "filter run=B", "filter",
        "filter mismatches", "filter off", "goto 1", "find item 3", "next", "undo", "nonsense", "quit",
    ]

    static let secrets = ["fin-model", "F16", "Q4_K_M", "generated-annotator"]

    static func transcript(blind: Bool) throws -> String {
        let fixture = try ReviewFixture(items: 6, otherAnnotators: 2)
        let result = try fixture.review(
            ["--annotator", "erin", "--order", "sequential", blind ? "--blind" : "--no-blind"],
            input: script.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout + result.stderr
    }

    @Test func blindOutputOfEveryCommandRevealsNothing() throws {
        let transcript = try Self.transcript(blind: true)
        for secret in Self.secrets {
            #expect(!transcript.contains(secret), "blind output reveals \(secret)")
        }
        #expect(transcript.contains("── compare · 2 runs"))
        #expect(transcript.contains("Run A (this item)"))
    }

    @Test func theSameSessionWithoutBlindShowsThem() throws {
        let transcript = try Self.transcript(blind: false)
        for secret in Self.secrets {
            #expect(transcript.contains(secret), "non-blind output lacks \(secret)")
        }
    }
}
