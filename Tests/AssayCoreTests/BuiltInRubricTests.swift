import AssayCore
import Foundation
import Testing

struct BuiltInRubricTests {
    @Test func theBuiltInRubricIsTheRubricFile() throws {
        let file = try String(
            contentsOf: TaskDefinitionTests.packageRoot.appendingPathComponent("rubrics/sentiment-review.yaml"),
            encoding: .utf8)
        let builtIn = Rubric.builtInSentimentReview
        #expect(builtIn.text.trimmingCharacters(in: .newlines) == file.trimmingCharacters(in: .newlines))
        let rubric = try RubricParser.parse(builtIn.text, source: builtIn.source)
        #expect(rubric.name == "sentiment-review")
        #expect(rubric.criteria.map(\.name) == ["consistency", "clarity", "alignment"])
    }
}
