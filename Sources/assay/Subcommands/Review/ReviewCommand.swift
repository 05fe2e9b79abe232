import ArgumentParser
import AssayCore
import AssayReview
import AssayStore

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Score predictions on the rubric's criteria in an interactive session.",
        discussion: """
            Shows one prediction at a time: the text, the gold label, the predicted label, the reasoning \
            and your progress. Type one value per criterion, then an optional comment (4 5 3 reasoning \
            repeats itself), or a command (help lists them). Each score is committed before the next \
            item appears; quitting and starting again resumes at your next unscored item. Blind mode \
            (the default) hides model names, quantizations and other annotators' scores.

            With standard input not a terminal, lines are read without prompts, so a session can be \
            scripted. The input history is kept per annotator in $XDG_DATA_HOME/assay/history/NAME.history \
            (default ~/.local/share/assay/history/).

            Example:
              assay review --annotator alice
              assay review --annotator bob --run 2 --run 3 --filter mismatches --per-item 2
              printf '4 5 3 fine\\nquit\\n' | assay review --annotator carol --order sequential
            """
    )

    @Option(help: "Your name; scores, order and history are per annotator.")
    var annotator: String

    @OptionGroup var runs: RunsOption

    @OptionGroup var rubric: RubricOption

    @Flag(inversion: .prefixedNo, help: "Hide model names, quantizations and other annotators' scores.")
    var blind = true

    @Option(help: ArgumentHelp("shuffled (per-annotator seed) or sequential (by run, then dataset row).", valueName: "order"))
    var order = ReviewOrder.shuffled

    @Option(help: "The shuffle seed (default: derived from the annotator's name).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("Serve an item only until K annotators have scored it.", valueName: "k"))
    var perItem: Int?

    @Option(help: ArgumentHelp("Start with a filter: gold=LABEL predicted=LABEL|none mismatches run=R.", valueName: "expr"))
    var filter: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try Self.review(
            annotator: annotator, runIDs: runs.ids, rubric: rubric, blind: blind, order: order, seed: seed,
            perItem: perItem, filter: filter, store: database.open())
    }

    /// Opens the review session and its REPL; `assay demo` opens it through this too.
    static func review(
        annotator: String, runIDs: [RunID], rubric: RubricOption, blind: Bool = true, order: ReviewOrder = .shuffled,
        seed: UInt64? = nil, perItem: Int? = nil, filter: String? = nil, store: AssayStore
    ) throws {
        let definition = try rubric.definition(store: store)
        let request = ReviewRequest(
            annotator: annotator, runIDs: runIDs, rubricDefinition: definition.text, rubricSource: definition.source,
            blind: blind, order: order, seed: seed, perItem: perItem, filter: filter, mode: .annotation,
            width: Terminal.columns())
        let (session, first) = try ReviewSessionBuilder.open(request, store: store)
        try ReviewREPL.run(session: session, first: first, annotator: annotator, prompt: "review> ")
    }
}
