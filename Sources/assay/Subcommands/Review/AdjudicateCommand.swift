import ArgumentParser
import AssayCore
import AssayReview

struct AdjudicateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjudicate",
        abstract: "Settle the predictions on which annotators disagree.",
        discussion: """
            The review session, serving only predictions whose annotations differ by more than the \
            threshold on some criterion (different categories always count), with every annotator's \
            score shown. What you type is stored as the adjudicated score, which exports prefer.

            Example:
              assay adjudicate --annotator carol
              assay adjudicate --annotator carol --threshold 0 --run 2
            """
    )

    @Option(help: "Your name.")
    var annotator: String

    @Option(help: ArgumentHelp("Serve predictions whose scores differ by more than this on some criterion.", valueName: "d"))
    var threshold: Double = 1

    @OptionGroup var runs: RunsOption

    @OptionGroup var rubric: RubricOption

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open()
        let definition = try rubric.definition(store: store)
        let request = ReviewRequest(
            annotator: annotator, runIDs: runs.ids, rubricDefinition: definition.text, rubricSource: definition.source,
            blind: false, order: .sequential, seed: nil, perItem: nil, filter: nil, mode: .adjudication(threshold: threshold),
            width: Terminal.columns())
        let (session, first) = try ReviewSessionBuilder.open(request, store: store)
        try ReviewREPL.run(session: session, first: first, annotator: annotator, prompt: "adjudicate> ")
    }
}
