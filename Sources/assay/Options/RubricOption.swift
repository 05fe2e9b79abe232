import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `--rubric FILE`, shared by review and adjudicate.
struct RubricOption: ParsableArguments {
    static let defaultPath = "rubrics/sentiment-review.yaml"

    /// No --rubric: the default lookup below.
    static let defaultLookup = RubricOption(file: nil)

    @Option(help: ArgumentHelp("The rubric file (default: \(defaultPath) when present, else the rubric last used in the database).",
                               valueName: "file"))
    var rubric: String?

    init() {}

    private init(file: String?) {
        rubric = file
    }

    /// The rubric's text and a name for it in error messages; `store` offers the last rubric used.
    func definition(store: AssayStore?) throws -> (text: String, source: String) {
        if let rubric {
            return (String(decoding: try InputFile.read(rubric), as: UTF8.self), rubric)
        }
        if FileManager.default.fileExists(atPath: Self.defaultPath) {
            return (String(decoding: try InputFile.read(Self.defaultPath), as: UTF8.self), Self.defaultPath)
        }
        if let store, let stored = try store.latestRubricDefinition() {
            return (stored, "the rubric stored in \(store.path)")
        }
        throw AssayError("no rubric: pass --rubric FILE (for example \(Self.defaultPath) from the Assay sources)")
    }
}
