import AssayCore
import AssayStore
import Testing

@testable import AssayReview

/// Blind mode must not reveal the model, its quantization or another annotator's score in any view.
@Suite struct ReviewBlindRenderingTests {
    static let secrets = ["secret-model", "F16", "Q4_K_M", "bob-the-other", "other's private comment"]

    /// The text of every view, after another annotator scored every prediction and we scored one.
    static func everyView(blind: Bool) throws -> String {
        let source = InMemoryReviewDataSource.make(items: 3, runs: [1, 2])
        for prediction in source.predictions {
            source.addOtherScore(
                ScoreEntry(
                    values: ["consistency": .number(1), "clarity": .number(2), "alignment": .number(3)],
                    comment: "other's private comment"), for: prediction.predictionID)
        }
        let session = ReviewSessionTests.session(source, blind: blind, perItem: 5)
        var output = [try session.start().text]
        for line in [
            "4 4 4 mine", "back", "show", "compare", "stats", "help", "rubric", "filter run=B", "filter", "next",
            "goto 1", "undo", "find number", "nonsense", "quit",
        ] {
            output.append(try session.handle(line).text)
        }
        return output.joined(separator: "\n")
    }

    @Test func blindViewsNameNoModelQuantizationOrOtherAnnotator() throws {
        let text = try Self.everyView(blind: true)
        for secret in Self.secrets {
            #expect(!text.contains(secret), "blind output reveals \(secret)")
        }
        #expect(text.contains("Run A") && text.contains("Run B"))
        #expect(text.contains("Your score consistency 4"))
    }

    @Test func withoutBlindTheSameViewsShowThem() throws {
        let text = try Self.everyView(blind: false)
        for secret in Self.secrets {
            #expect(text.contains(secret), "non-blind output lacks \(secret)")
        }
    }

    @Test func textIsWrappedToTheWidth() {
        let lines = TextWrapper.labelled(
            "Text", String(repeating: "word ", count: 60) + "x" + String(repeating: "y", count: 150),
            labelWidth: 11, width: 60)
        #expect(lines.allSatisfy { $0.count <= 60 })
        #expect(lines.first?.hasPrefix("Text       word") == true)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("           ") })
    }
}
