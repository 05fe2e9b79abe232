import AssayCore
import Foundation
import Testing

@testable import AssayInference

/// What the server backends send: every decoding option, explicitly.
struct ServerRequestBodyTests {
    static let request = ChatRequest(
        system: "Be brief.", user: "Text: x",
        hyperparameters: Hyperparameters(
            maxTokens: 64, temperature: 0.7, topP: 0.9, topK: 50, beamWidth: 4, seed: 9, contextLength: 4096
        ).resolved, threads: 2)

    @Test func ollamaGetsEveryOption() throws {
        let backend = OllamaBackend(host: URL(string: "http://127.0.0.1:11434")!, model: "llama3.2", streaming: false, timeoutSeconds: 5)
        let body = try #require(try JSONSerialization.jsonObject(with: backend.body(for: Self.request)) as? [String: Any])
        let options = try #require(body["options"] as? [String: Any])
        #expect(options["num_predict"] as? Int == 64 && options["temperature"] as? Double == 0.7)
        #expect(options["top_p"] as? Double == 0.9 && options["top_k"] as? Int == 50 && options["seed"] as? Int == 9)
        #expect(options["num_ctx"] as? Int == 4096 && options["num_thread"] as? Int == 2)
        #expect(body["stream"] as? Bool == false)
        #expect((body["messages"] as? [[String: String]])?.first == ["role": "system", "content": "Be brief."])
    }

    @Test func openAIGetsTopKOnlyWhenSet() throws {
        let backend = OpenAICompatibleBackend(baseURL: URL(string: "http://127.0.0.1:8080/v1")!, model: "m", apiKey: nil, timeoutSeconds: 5)
        let body = try #require(try JSONSerialization.jsonObject(with: backend.body(for: Self.request)) as? [String: Any])
        #expect(body["top_k"] as? Int == 50 && body["max_tokens"] as? Int == 64 && body["seed"] as? Int == 9)
        var greedy = Self.request
        greedy.hyperparameters.topK = 0
        let plain = try #require(try JSONSerialization.jsonObject(with: backend.body(for: greedy)) as? [String: Any])
        #expect(plain["top_k"] == nil)
    }

    @Test func onlyTransientFailuresAreRetried() async throws {
        let attempts = Counter()
        await #expect(throws: BackendError.self) {
            try await RetryPolicy(attempts: 3, firstDelaySeconds: 0.001).run {
                attempts.increment()
                throw BackendError(.unknownModel, "no such model")
            }
        }
        #expect(attempts.value == 1)
        let value = try await RetryPolicy(attempts: 3, firstDelaySeconds: 0.001).run {
            attempts.increment()
            if attempts.value < 3 { throw BackendError(.http(status: 503), "busy") }
            return "done"
        }
        #expect(value == "done" && attempts.value == 3)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
