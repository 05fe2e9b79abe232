import AssayCore
import AssayStore
import Testing

@testable import AssayReview

@Suite struct ReviewSessionTests {
    static let rubric = Rubric(
        name: "sentiment-review", version: "1", description: "Score it.",
        criteria: ["consistency", "clarity", "alignment"].map {
            RubricCriterion(
                name: $0, question: "\($0)?",
                scale: .ordinal(levels: (1...5).map { RubricLevel(name: "\($0)", description: "level \($0)") }))
        })

    static let runs = [
        ReviewRun(id: 1, modelName: "secret-model-1", quantization: "F16", predictions: 4),
        ReviewRun(id: 2, modelName: "secret-model-2", quantization: "Q4_K_M", predictions: 4),
    ]

    static func session(
        _ source: InMemoryReviewDataSource, blind: Bool = true, scored: Set<PredictionID> = [], perItem: Int? = nil,
        kind: ScoreKind = .annotation
    ) -> ReviewSession {
        let renderer = ReviewRenderer(
            rubric: rubric, runs: ReviewRunLabels(runs: runs, blind: blind),
            annotatorID: InMemoryReviewDataSource.annotatorID, kind: kind, width: 100)
        return ReviewSession(rubric: rubric, renderer: renderer, entries: source.entries, scored: scored, source: source, perItem: perItem)
    }

    @Test func aScoreIsStoredThenTheNextItemIsShown() throws {
        let source = InMemoryReviewDataSource.make(items: 4, runs: [1])
        let session = Self.session(source)
        #expect(try session.start().text.contains("Text number 1 about"))
        let reply = try session.handle("4 5 3 reasoning repeats itself")
        #expect(
            source.own(1001)
                == ScoreEntry(
                    values: ["consistency": .number(4), "clarity": .number(5), "alignment": .number(3)],
                    comment: "reasoning repeats itself"))
        #expect(reply.text.hasPrefix("saved: consistency 4 · clarity 5 · alignment 3 · \"reasoning repeats itself\""))
        #expect(reply.text.contains("Text number 2 about"))
        #expect(reply.text.contains("1/4 scored"))
    }

    @Test(arguments: ["4 5", "4 5 6", "0 1 1", "frobnicate", "goto", "goto x", "comment", "find", "filter colour=red", "back now"])
    func invalidInputStoresNothingAndShowsTheForm(line: String) throws {
        let source = InMemoryReviewDataSource.make(items: 3, runs: [1])
        let session = Self.session(source)
        _ = try session.start()
        let reply = try session.handle(line)
        #expect(reply.text.hasPrefix("! "))
        #expect(!reply.text.contains("\n"))
        #expect(source.saves == 0)
        #expect(session.navigator.current?.predictionID == 1001)
    }

    @Test func startResumesAtTheFirstUnscoredItem() throws {
        let source = InMemoryReviewDataSource.make(items: 4, runs: [1])
        let session = Self.session(source, scored: [1001, 1002])
        #expect(try session.start().text.contains("Text number 3 about"))
        #expect(session.navigator.progress == ReviewProgress(scored: 2, total: 4, skipped: 0))
    }

    @Test func skipBackAndGotoMoveWithoutStoring() throws {
        let source = InMemoryReviewDataSource.make(items: 4, runs: [1])
        let session = Self.session(source)
        _ = try session.start()
        #expect(try session.handle("next").text.contains("0/4 scored - 1 skipped"))
        #expect(session.navigator.current?.predictionID == 1002)
        _ = try session.handle("back")
        #expect(session.navigator.current?.predictionID == 1001)
        _ = try session.handle("goto 4")
        #expect(session.navigator.current?.predictionID == 1004)
        #expect(try session.handle("goto 9").text == "! there is no item 9; the list in view has 4 items (goto 1 to 4)")
        #expect(source.saves == 0)
    }

    @Test func revisitingShowsTheEarlierScoreAndUndoRestoresIt() throws {
        let source = InMemoryReviewDataSource.make(items: 3, runs: [1])
        let session = Self.session(source)
        _ = try session.start()
        _ = try session.handle("2 2 2 first")
        let back = try session.handle("back")
        #expect(back.text.contains("Your score consistency 2 · clarity 2 · alignment 2 · \"first\""))
        _ = try session.handle("5 5 5 second")
        #expect(source.own(1001)?.comment == "second")
        let undone = try session.handle("undo")
        #expect(undone.text.hasPrefix("undone: restored: consistency 2"))
        #expect(source.own(1001)?.comment == "first")
        _ = try session.handle("undo")
        #expect(source.own(1001) == nil)
        #expect(session.navigator.progress.scored == 0)
        #expect(try session.handle("undo").text == "! nothing to undo in this session")
    }

    @Test func commentNeedsAScoreAndKeepsTheValues() throws {
        let source = InMemoryReviewDataSource.make(items: 2, runs: [1])
        let session = Self.session(source)
        _ = try session.start()
        #expect(try session.handle("comment too early").text.hasPrefix("! score this item first"))
        _ = try session.handle("3 4 5")
        _ = try session.handle("back")
        _ = try session.handle("comment hedges a lot")
        #expect(
            source.own(1001)
                == ScoreEntry(
                    values: ["consistency": .number(3), "clarity": .number(4), "alignment": .number(5)],
                    comment: "hedges a lot"))
    }

    @Test func filterAndFindNarrowWhatIsServed() throws {
        let source = InMemoryReviewDataSource.make(items: 6, runs: [1, 2])
        let session = Self.session(source)
        _ = try session.start()
        let filtered = try session.handle("filter mismatches run=B")
        #expect(filtered.text.hasPrefix("filter: mismatches run=B (2 items in view)"))
        #expect(session.navigator.current?.predictionID == 2003)
        #expect(
            try session.handle("filter gold=nothing").text.hasPrefix(
                "! no item matches filter gold=nothing; the filter stays mismatches run=B"))
        _ = try session.handle("filter off")
        // The next match after the item shown (2003), then round past the end.
        _ = try session.handle("find NUMBER 5")
        #expect(session.navigator.current?.predictionID == 2005)
        _ = try session.handle("find NUMBER 5")
        #expect(session.navigator.current?.predictionID == 1005)
        #expect(try session.handle("find absent words").text == "! no item in view contains 'absent words'")
    }

    @Test func perItemServesOnlyItemsWithFewerAnnotators() throws {
        let source = InMemoryReviewDataSource.make(items: 3, runs: [1])
        let values: [String: ScoreValue] = ["consistency": .number(1), "clarity": .number(1), "alignment": .number(1)]
        source.addOtherScore(ScoreEntry(values: values, comment: nil), for: 1001)
        source.addOtherScore(ScoreEntry(values: values, comment: nil), for: 1003)
        let session = Self.session(source, perItem: 1)
        _ = try session.start()
        #expect(session.navigator.current?.predictionID == 1002)
        _ = try session.handle("1 1 1")
        #expect(session.navigator.current == nil)
    }

    @Test func quitEndsTheSession() throws {
        let session = Self.session(InMemoryReviewDataSource.make(items: 1, runs: [1]))
        _ = try session.start()
        #expect(try session.handle("quit").ended)
        #expect(try !session.handle("stats").ended)
    }

    @Test func theShuffledOrderDependsOnlyOnTheSeed() {
        let entries = InMemoryReviewDataSource.make(items: 50, runs: [1]).entries
        let alice = ReviewOrder.seed(forAnnotator: "alice")
        #expect(ReviewOrder.shuffled.arrange(entries, seed: alice) == ReviewOrder.shuffled.arrange(entries, seed: alice))
        #expect(
            ReviewOrder.shuffled.arrange(entries, seed: alice)
                != ReviewOrder.shuffled.arrange(entries, seed: ReviewOrder.seed(forAnnotator: "bob")))
        #expect(Set(ReviewOrder.shuffled.arrange(entries, seed: alice).map(\.predictionID)) == Set(entries.map(\.predictionID)))
        #expect(ReviewOrder.sequential.arrange(entries, seed: alice) == entries)
    }

    @Test func tabCompletesCommandsFilterTermsAndCategories() {
        let completion = ReviewCompletion(rubric: Self.rubric, labels: ["negative", "positive"], runChoices: ["A", "B"])
        #expect(completion.candidates(before: "", word: "co") == ["comment", "compare"])
        #expect(completion.candidates(before: "filter ", word: "gold=p") == ["gold=positive"])
        #expect(completion.candidates(before: "filter mismatches ", word: "run=") == ["run=A", "run=B"])
        #expect(completion.candidates(before: "4 ", word: "") == ["1", "2", "3", "4", "5"])
        #expect(completion.candidates(before: "4 5 3 ", word: "re").isEmpty)
    }
}
