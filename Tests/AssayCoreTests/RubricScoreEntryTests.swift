import AssayCore
import Testing

@Suite struct RubricScoreEntryTests {
    static let rubric = Rubric(
        name: "r", version: "1", description: "",
        criteria: [
            RubricCriterion(
                name: "consistency", question: "?", scale: .ordinal(levels: (1...5).map { RubricLevel(name: "\($0)", description: "d") })),
            RubricCriterion(
                name: "clarity", question: "?", scale: .ordinal(levels: (1...5).map { RubricLevel(name: "\($0)", description: "d") })),
            RubricCriterion(
                name: "verdict", question: "?",
                scale: .categorical(categories: [
                    RubricLevel(name: "consistent", description: "d"), RubricLevel(name: "contradicts", description: "d"),
                    RubricLevel(name: "unclear", description: "d"),
                ])),
        ])

    @Test func valuesThenAComment() throws {
        let entry = try Self.rubric.scoreEntry(from: "  4 5   unc  reasoning repeats itself ")
        #expect(entry.values == ["consistency": .number(4), "clarity": .number(5), "verdict": .text("unclear")])
        #expect(entry.comment == "reasoning repeats itself")
    }

    @Test func noCommentIsNil() throws {
        #expect(try Self.rubric.scoreEntry(from: "1 1 Consistent").comment == nil)
        #expect(try Self.rubric.scoreEntry(from: "1 1 Consistent").values["verdict"] == .text("consistent"))
    }

    @Test(arguments: [
        ("4 5", "too few values: verdict is missing"),
        ("6 5 unclear", "'6' is not a consistency value (1-5)"),
        ("4 0 unclear", "'0' is not a clarity value (1-5)"),
        ("4 4.5 unclear", "'4.5' is not a clarity value"),
        ("4 4 con", "'con' is not a verdict value (consistent|contradicts|unclear)"),
    ])
    func invalidLinesSayWhatIsExpected(line: String, message: String) {
        #expect {
            _ = try Self.rubric.scoreEntry(from: line)
        } throws: { error in
            let text = String(describing: error)
            return text.contains(message)
                && text.contains("<consistency 1-5> <clarity 1-5> <verdict consistent|contradicts|unclear> [comment]")
        }
    }

    @Test func disagreementIsADifferenceAboveTheThreshold() {
        let close: [[String: ScoreValue]] = [
            ["consistency": .number(4), "verdict": .text("unclear")],
            ["consistency": .number(5), "verdict": .text("unclear")],
        ]
        #expect(!Self.rubric.disagree(close, threshold: 1))
        #expect(Self.rubric.disagree(close, threshold: 0.5))
        let categories: [[String: ScoreValue]] = [["verdict": .text("unclear")], ["verdict": .text("consistent")]]
        #expect(Self.rubric.disagree(categories, threshold: 4))
        #expect(!Self.rubric.disagree([["consistency": .number(1)]], threshold: 0))
    }
}
