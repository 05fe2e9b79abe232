import AssayCore
import Testing

/// Answers the way small and large models really write them, each with the label the parser must read.
struct AnswerParserTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let answer: String
        let label: String?
        let status: ParseStatus
        let reasoning: String?
        var testDescription: String { answer.prefix(50).replacingOccurrences(of: "\n", with: "⏎") }
    }

    static let any = "<any>"

    static let sentimentCases: [Case] = [
        // The format the prompt asks for.
        Case(
            answer: "Negative [The company reported a loss.]", label: "negative", status: .parsed, reasoning: "The company reported a loss."
        ),
        Case(answer: "Positive [Sales doubled year on year]", label: "positive", status: .parsed, reasoning: "Sales doubled year on year"),
        Case(
            answer: "Neutral [factual statement without emotional language]", label: "neutral", status: .parsed,
            reasoning: "factual statement without emotional language"),
        Case(answer: "Positive - sales rose by 20%.", label: "positive", status: .parsed, reasoning: "sales rose by 20%."),
        Case(answer: "NEGATIVE: profit warning", label: "negative", status: .parsed, reasoning: "profit warning"),
        Case(answer: "positive", label: "positive", status: .parsed, reasoning: nil),
        Case(answer: "  Neutral.  ", label: "neutral", status: .parsed, reasoning: nil),
        Case(answer: "Negative\nReasoning: The shares fell 5%.", label: "negative", status: .parsed, reasoning: "The shares fell 5%."),
        // Cue words and markdown.
        Case(answer: "Sentiment: **Negative**", label: "negative", status: .parsed, reasoning: nil),
        Case(
            answer: "**Sentiment:** Positive\n**Reasoning:** Revenue grew strongly.", label: "positive", status: .parsed,
            reasoning: "Revenue grew strongly."),
        Case(
            answer: "## Sentiment\nNeutral\n\nThe text reports a fact.", label: "neutral", status: .parsed,
            reasoning: "The text reports a fact."),
        Case(answer: "*Negative* [losses widened]", label: "negative", status: .parsed, reasoning: "losses widened"),
        Case(answer: "`Positive`", label: "positive", status: .parsed, reasoning: nil),
        Case(answer: "Answer: Neutral", label: "neutral", status: .parsed, reasoning: nil),
        Case(answer: "The answer is negative.", label: "negative", status: .parsed, reasoning: nil),
        Case(answer: "Final answer - positive", label: "positive", status: .parsed, reasoning: nil),
        // Sentences.
        Case(answer: "The sentiment is negative because the company cut its forecast.", label: "negative", status: .parsed, reasoning: any),
        Case(
            answer: "The sentiment of the text is positive, as it indicates a positive change in the market sentiment.", label: "positive",
            status: .parsed, reasoning: any),
        Case(
            answer: "I would classify this text as neutral since it only states facts.", label: "neutral", status: .parsed, reasoning: any),
        Case(answer: "This statement is mostly positive: the order book grew.", label: "positive", status: .parsed, reasoning: any),
        Case(
            answer: "The overall sentiment is negative, although there are some positive signs for next year.", label: "negative",
            status: .parsed, reasoning: any),
        Case(answer: "The text describes a merger. Overall sentiment: neutral.", label: "neutral", status: .parsed, reasoning: any),
        // SmolLM2's own answers on the case study's prompt.
        Case(
            answer:
                "The text indicates a positive sentiment, with a 14% increase in net sales. The text also presents a balanced tone shift, with a neutral tone.",
            label: "positive", status: .parsed, reasoning: any),
        Case(
            answer: "The text suggests a positive and neutral tone, which is a balanced and neutral tone.", label: nil, status: .ambiguous,
            reasoning: any),
        Case(
            answer: "Positive/Negative/Neutral [Reasoning]\nSentence: At 3:37 p.m. a block of 2,400 contracts changed hands.", label: nil,
            status: .unparsed, reasoning: any),
        // Echoed format.
        Case(answer: "Positive/Negative/Neutral [Reasoning]", label: nil, status: .unparsed, reasoning: any),
        Case(answer: "Positive/Negative/Neutral: Negative [costs rose]", label: "negative", status: .parsed, reasoning: any),
        Case(
            answer: "Mark the sentiment as positive, negative, or neutral. The sentiment here is positive.", label: "positive",
            status: .parsed, reasoning: any),
        Case(answer: "Positive | Negative | Neutral", label: nil, status: .unparsed, reasoning: any),
        // Negations.
        Case(answer: "The sentiment is not negative; it is positive.", label: "positive", status: .parsed, reasoning: any),
        Case(answer: "This is not negative.", label: nil, status: .unparsed, reasoning: any),
        Case(answer: "It isn't positive, it is neutral.", label: "neutral", status: .parsed, reasoning: any),
        Case(answer: "More negative than positive.", label: "negative", status: .parsed, reasoning: any),
        Case(answer: "Neither positive nor negative.", label: "neutral", status: .parsed, reasoning: nil),
        Case(answer: "It's not positive but negative.", label: "negative", status: .parsed, reasoning: any),
        // Several labels.
        Case(answer: "The text has both positive and negative aspects.", label: nil, status: .ambiguous, reasoning: any),
        Case(
            answer: "It could be positive or it could be negative depending on the reader.", label: nil, status: .ambiguous, reasoning: any),
        Case(answer: "Positive and negative", label: nil, status: .ambiguous, reasoning: any),
        Case(answer: "Sentiment: neutral to positive", label: nil, status: .ambiguous, reasoning: any),
        // Synonyms.
        Case(answer: "Bullish. The stock broke out.", label: "positive", status: .parsed, reasoning: "The stock broke out."),
        Case(answer: "The tone is bearish.", label: "negative", status: .parsed, reasoning: any),
        Case(answer: "Rather pessimistic outlook for the quarter", label: "negative", status: .parsed, reasoning: any),
        // JSON-ish answers.
        Case(
            answer: #"{"sentiment": "Negative", "reasoning": "Sales fell."}"#, label: "negative", status: .parsed, reasoning: "Sales fell."),
        Case(
            answer: "```json\n{\"label\": \"positive\", \"explanation\": \"record profit\"}\n```", label: "positive", status: .parsed,
            reasoning: "record profit"),
        Case(answer: #"Here is my answer: {"Sentiment": "neutral"}"#, label: "neutral", status: .parsed, reasoning: nil),
        Case(answer: #"{"sentiment": "unknown"}"#, label: nil, status: .unparsed, reasoning: any),
        // No label at all.
        Case(answer: "", label: nil, status: .unparsed, reasoning: nil),
        Case(answer: "   \n ", label: nil, status: .unparsed, reasoning: nil),
        Case(answer: "I cannot determine that from the text.", label: nil, status: .unparsed, reasoning: any),
        Case(answer: "The company will release its results on 5 March.", label: nil, status: .unparsed, reasoning: any),
        Case(answer: "Positivity abounds", label: nil, status: .unparsed, reasoning: any),
    ]

    @Test(arguments: sentimentCases)
    func sentimentAnswer(_ example: Case) throws {
        let task = try TaskDefinition.builtInSentiment()
        let parsed = task.parser.parse(example.answer)
        #expect(parsed.status == example.status)
        #expect(parsed.label == example.label)
        if example.reasoning != Self.any {
            #expect(parsed.reasoning == example.reasoning)
        }
    }

    @Test func theTableHoldsAtLeastFortyAnswers() {
        #expect(Self.sentimentCases.count >= 40)
    }

    @Test func ambiguousAnswersListTheirCandidatesInOrder() throws {
        let parsed = try TaskDefinition.builtInSentiment().parser.parse("It is negative in the short term and positive in the long run.")
        #expect(parsed.status == .ambiguous)
        #expect(parsed.candidates == ["negative", "positive"])
    }

    static let choiceCases: [Case] = [
        Case(answer: "B", label: "b", status: .parsed, reasoning: nil),
        Case(answer: "(C) because the others are wrong", label: "c", status: .parsed, reasoning: "because the others are wrong"),
        Case(answer: "Answer: D", label: "d", status: .parsed, reasoning: nil),
        Case(answer: "The correct answer is A.", label: "a", status: .parsed, reasoning: nil),
        Case(answer: "A strong quarter suggests option B.", label: "b", status: .parsed, reasoning: any),
        Case(answer: "I think it is C.", label: "c", status: .parsed, reasoning: any),
        Case(answer: "a or b, hard to say", label: nil, status: .unparsed, reasoning: any),
        Case(answer: "Either A or C could be right, but C is better", label: "c", status: .parsed, reasoning: any),
        Case(answer: "B and D both fit", label: nil, status: .ambiguous, reasoning: any),
    ]

    @Test(arguments: choiceCases)
    func multipleChoiceAnswer(_ example: Case) {
        let parser = AnswerParser(labels: ["a", "b", "c", "d"])
        let parsed = parser.parse(example.answer)
        #expect(parsed.status == example.status)
        #expect(parsed.label == example.label)
        if example.reasoning != Self.any {
            #expect(parsed.reasoning == example.reasoning)
        }
    }

    @Test func wholeAnswerReasoningKeepsEverything() {
        let parser = AnswerParser(labels: ["positive", "negative"], rules: AnswerParsingRules(reasoning: .wholeAnswer))
        #expect(parser.parse("Positive [good]").reasoning == "Positive [good]")
    }
}
