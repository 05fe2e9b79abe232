import AssayCore
import Foundation
import Testing

@Suite struct RubricParserTests {
    static let defaultRubric = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("rubrics/sentiment-review.yaml")

    @Test func theDefaultRubricHasThreeOneToFiveCriteria() throws {
        let text = try String(contentsOf: Self.defaultRubric, encoding: .utf8)
        let rubric = try RubricParser.parse(text, source: "sentiment-review.yaml")
        #expect(rubric.name == "sentiment-review")
        #expect(rubric.version == "1")
        #expect(rubric.criteria.map(\.name) == ["consistency", "clarity", "alignment"])
        for criterion in rubric.criteria {
            #expect(criterion.scale.levels.map(\.name) == ["1", "2", "3", "4", "5"])
            #expect(criterion.scale.levels.allSatisfy { !$0.description.isEmpty })
        }
    }

    @Test func categoricalScalesKeepTheFileOrder() throws {
        let rubric = try RubricParser.parse(
            """
            name: verdicts
            version: 2b
            criteria:
              - name: verdict
                question: Is the label right?
                categories:
                  consistent: The label matches.
                  inconsistent: It does not.
                  unclear: Cannot tell.
            """, source: "verdicts.yaml")
        guard case .categorical(let categories) = rubric.criteria[0].scale else {
            Issue.record("expected a categorical scale")
            return
        }
        #expect(categories.map(\.name) == ["consistent", "inconsistent", "unclear"])
        #expect(rubric.version == "2b")
    }

    static let validCriterion = """
          - name: clarity
            question: Clear?
            levels:
              1: Bad.
              2: Good.
        """

    /// Each bad file, and what its one-line error must name (the file always, then the key).
    static let badFiles: [(yaml: String, mentions: [String])] = [
        ("name: r\ncriteria:\n\(validCriterion)", ["version", "missing"]),
        ("version: 1\ncriteria:\n\(validCriterion)", ["name", "missing"]),
        ("name: r\nversion: 1\n", ["criteria", "missing"]),
        ("name: r\nversion: 1\ncriteria: clarity\n", ["criteria", "list"]),
        ("name: r\nversion: 1\ncolour: red\ncriteria:\n\(validCriterion)", ["colour", "unknown key", "line 3"]),
        (
            "name: r\nversion: 1\ncriteria:\n  - name: clarity\n    question: Clear?\n    levels:\n      1: Bad.\n      3: Good.\n",
            ["criteria[0].levels", "consecutive"]
        ),
        (
            "name: r\nversion: 1\ncriteria:\n  - name: clarity\n    question: Clear?\n    levels:\n      1: Bad.\n      two: Good.\n",
            ["criteria[0].levels.two", "integers"]
        ),
        (
            "name: r\nversion: 1\ncriteria:\n  - name: clarity\n    question: Clear?\n    levels:\n      1: Bad.\n      2:\n",
            ["criteria[0].levels.2", "description"]
        ),
        ("name: r\nversion: 1\ncriteria:\n  - name: clarity\n    question: Clear?\n", ["criteria[0]", "levels", "categories"]),
        ("name: r\nversion: 1\ncriteria:\n\(validCriterion)\n\(validCriterion)", ["criteria[1].name", "twice"]),
        (
            "name: r\nversion: 1\ncriteria:\n  - name: v\n    question: Q?\n    categories:\n      yes: Y.\n      YES: Also.\n",
            ["criteria[0].categories.YES", "twice"]
        ),
        ("name: r\nversion: 1\ncriteria:\n  - name: [oops\n", ["not valid YAML"]),
        ("- just\n- a list\n", ["top level"]),
    ]

    @Test(arguments: badFiles.indices)
    func aBadFileGivesOneLineNamingTheFileAndKey(index: Int) {
        let (yaml, mentions) = Self.badFiles[index]
        do {
            _ = try RubricParser.parse(yaml, source: "rubrics/bad.yaml")
            Issue.record("case \(index) was accepted")
        } catch {
            let message = String(describing: error)
            #expect(message.hasPrefix("rubrics/bad.yaml: "), "case \(index): \(message)")
            #expect(!message.contains("\n"), "case \(index): \(message)")
            for mention in mentions {
                #expect(message.contains(mention), "case \(index) should mention \(mention): \(message)")
            }
        }
    }
}
