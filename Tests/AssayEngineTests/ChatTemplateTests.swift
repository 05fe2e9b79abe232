import AssayEngine
import AssaySupport
import AssayTestSupport
import Foundation
import Testing

/// Each chat format, recognised from its real template (Tests/Fixtures/chat/*.jinja), renders a
/// system + user message as the template itself does under jinja2 (Tests/Fixtures/chat/rendered.json,
/// made by scripts/golden/render-chat-templates.py).
struct ChatTemplateTests {
    struct Rendered: Decodable {
        struct Case: Decodable {
            let template: String
            let family: String
            let system: String
            let user: String
            let user_only: String
            let system_and_user: String
        }
        let cases: [Case]
    }

    static func rendered() throws -> [Rendered.Case] {
        try JSONDecoder().decode(
            Rendered.self,
            from: Data(
                contentsOf: SharedFiles.projectFile(
                    "Tests/Fixtures/chat/rendered.json"))
        ).cases
    }

    @Test func everyReferenceTemplateIsRecognisedAndRendersAsJinjaDoes() throws {
        let cases = try Self.rendered()
        #expect(Set(cases.map(\.family)) == Set(ChatTemplate.Family.allCases.map(\.rawValue)))
        for testCase in cases {
            let source = try String(
                contentsOf: SharedFiles.projectFile("Tests/Fixtures/chat/\(testCase.template)"),
                encoding: .utf8)
            let template = ChatTemplate(template: source)
            #expect(template.family?.rawValue == testCase.family, "\(testCase.template)")
            #expect(
                try template.render(user: testCase.user, system: testCase.system) == testCase.system_and_user,
                "\(testCase.template) with a system message")
            #expect(try template.render(user: testCase.user) == testCase.user_only, "\(testCase.template) user only")
        }
    }

    @Test func aFileWithoutATemplateGetsTheFormatOfItsVocabularysTurnMarkers() {
        #expect(ChatTemplate(vocabularyTokens: ["<bos>", "<start_of_turn>", "<end_of_turn>"]).family == .gemma)
        #expect(ChatTemplate(vocabularyTokens: ["<s>", "</s>", "a"]).family == nil)
    }

    @Test func namedTemplatesAndUnknownOnes() throws {
        #expect(try ChatTemplate(named: "Gemma").family == .gemma)
        #expect(throws: AssayError.self) { try ChatTemplate(named: "vicuna") }
        let unknown = ChatTemplate(template: "{% for m in messages %}{{ m.content }}{% endfor %}")
        #expect(unknown.family == nil)
        let error = try #require(#expect(throws: AssayError.self) { try unknown.render(user: "Hi") })
        #expect(error.description.contains("--template NAME"))
    }
}
