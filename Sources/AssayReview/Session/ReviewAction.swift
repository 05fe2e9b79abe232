import AssayCore
import AssaySupport
import Foundation

/// One line the annotator typed, understood: a score or a command.
public enum ReviewAction: Sendable, Equatable {
    case score(ScoreEntry)
    case next
    case back
    case goto(Int)
    case undo
    case comment(String)
    case show
    case compare
    /// `filter` alone shows the current filter.
    case showFilter
    case filter(ReviewFilter)
    case find(String)
    case stats
    case rubric
    case help
    case quit

    /// Every command, its form and what it does: the help text, the error hints and Tab completion.
    public static let usage: [(name: String, form: String, meaning: String)] = [
        ("next", "next", "leave this item unscored for now (also: skip)"),
        ("skip", "skip", "same as next"),
        ("back", "back", "return to the item shown before"),
        ("goto", "goto N", "go to item N of the list"),
        ("undo", "undo", "take back the last score change of this session"),
        ("comment", "comment TEXT", "set the comment of this item's score"),
        ("show", "show", "show this item again, with the model's raw output"),
        ("compare", "compare", "this text's predictions from the other runs, side by side"),
        ("filter", ReviewFilter.form, "serve only matching items"),
        ("find", "find TEXT", "go to the next item whose text contains TEXT"),
        ("stats", "stats", "progress and your score distribution"),
        ("rubric", "rubric", "the criteria and what each level means"),
        ("help", "help", "this list"),
        ("quit", "quit", "leave (or Ctrl-D); every score is already saved"),
    ]

    public static var names: [String] { usage.map(\.name) }

    /// Reads a line. Nil for a blank line; a one-line error with the expected form for anything invalid.
    public static func parse(_ line: String, rubric: Rubric, runs: ReviewRunLabels) throws -> ReviewAction? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.split(separator: " ", maxSplits: 1).first.map(String.init) else { return nil }
        let argument = String(trimmed.dropFirst(first.count)).trimmingCharacters(in: .whitespaces)
        let word = first.lowercased()
        if names.contains(word) {
            return try command(word, argument: argument, runs: runs)
        }
        let firstCriterion = rubric.criteria.first
        if firstCriterion?.scale.value(from: first) != nil || first.first?.isNumber == true || first.first == "-" {
            return .score(try rubric.scoreEntry(from: trimmed))
        }
        throw AssayError("unknown command '\(first)'; type a score (\(rubric.scoreLineForm)) or a command (help lists them)")
    }

    private static func command(_ word: String, argument: String, runs: ReviewRunLabels) throws -> ReviewAction {
        func noArgument(_ command: ReviewAction) throws -> ReviewAction {
            guard argument.isEmpty else { throw AssayError("\(word) takes nothing after it; type \(word)") }
            return command
        }
        switch word {
        case "next", "skip": return try noArgument(.next)
        case "back": return try noArgument(.back)
        case "undo": return try noArgument(.undo)
        case "show": return try noArgument(.show)
        case "compare": return try noArgument(.compare)
        case "stats": return try noArgument(.stats)
        case "rubric": return try noArgument(.rubric)
        case "help": return try noArgument(.help)
        case "quit": return try noArgument(.quit)
        case "goto":
            guard let number = Int(argument), number >= 1 else {
                throw AssayError("goto needs an item number from 1 up; type goto N")
            }
            return .goto(number)
        case "comment":
            guard !argument.isEmpty else { throw AssayError("comment needs text; type comment TEXT") }
            return .comment(argument)
        case "find":
            guard !argument.isEmpty else { throw AssayError("find needs text to look for; type find TEXT") }
            return .find(argument)
        default:
            return argument.isEmpty ? .showFilter : .filter(try ReviewFilter.parse(argument, runs: runs))
        }
    }
}
