import ArgumentParser
import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// `--rubric FILE`, shared by review and adjudicate.
struct RubricOption: ParsableArguments {
    /// No --rubric: the default lookup below.
    static let defaultLookup = RubricOption(file: nil)

    @Option(
        help: ArgumentHelp(
            "The rubric file (default: the rubric last used in the database, else the built-in sentiment-review rubric: consistency, clarity, alignment).",
            valueName: "file"))
    var rubric: String?

    init() {}

    private init(file: String?) {
        rubric = file
    }

    /// The rubric's text and a name for it in error messages: the file, else the rubric the
    /// database last used (so a session resumes under the same rubric), else the built-in one.
    func definition(store: AssayStore?) throws -> (text: String, source: String) {
        if let rubric {
            return (String(decoding: try InputFile.read(rubric), as: UTF8.self), rubric)
        }
        if let store, let stored = try store.latestRubricDefinition() {
            return (stored, "the rubric stored in \(store.path)")
        }
        return Rubric.builtInSentimentReview
    }
}
