import AssaySupport

/// How a `code` task samples and checks programs (HumanEval's protocol).
public struct CodeSettings: Codable, Sendable, Equatable {
    /// Programs generated per problem (n); pass@k is estimated from them.
    public var samples: Int
    /// The k of each pass@k reported (each at most `samples`).
    public var k: [Int]
    public var timeoutSeconds: Double
    public var memoryMegabytes: Int
    /// Where a plain completion (one not in a ``` block) is cut, as HumanEval cuts it.
    public var stop: [String]
    public var testField: String
    public var entryPointField: String

    public static let humanEvalStops = ["\nclass", "\ndef", "\n#", "\nif", "\nprint"]

    enum CodingKeys: String, CodingKey {
        case samples, k, stop
        case timeoutSeconds = "timeout_seconds"
        case memoryMegabytes = "memory_mb"
        case testField = "test_field"
        case entryPointField = "entry_point_field"
    }

    public init(
        samples: Int = 1, k: [Int] = [1], timeoutSeconds: Double = 10, memoryMegabytes: Int = 1024,
        stop: [String] = humanEvalStops, testField: String = "test", entryPointField: String = "entry_point"
    ) {
        self.samples = samples
        self.k = k
        self.timeoutSeconds = timeoutSeconds
        self.memoryMegabytes = memoryMegabytes
        self.stop = stop
        self.testField = testField
        self.entryPointField = entryPointField
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        samples = try container.decodeIfPresent(Int.self, forKey: .samples) ?? 1
        k = try container.decodeIfPresent([Int].self, forKey: .k) ?? [1]
        timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 10
        memoryMegabytes = try container.decodeIfPresent(Int.self, forKey: .memoryMegabytes) ?? 1024
        stop = try container.decodeIfPresent([String].self, forKey: .stop) ?? Self.humanEvalStops
        testField = try container.decodeIfPresent(String.self, forKey: .testField) ?? "test"
        entryPointField = try container.decodeIfPresent(String.self, forKey: .entryPointField) ?? "entry_point"
    }

    /// Checks the values; `place` names the file in errors.
    func validate(at place: String) throws {
        guard (1...1000).contains(samples) else { throw AssayError("\(place): code.samples is \(samples); use 1 to 1000") }
        guard !k.isEmpty else { throw AssayError("\(place): code.k is empty; list at least one k, for example [1]") }
        for value in k where !(1...samples).contains(value) {
            throw AssayError(
                "\(place): code.k lists \(value), but pass@k needs 1 <= k <= samples (\(samples)); raise code.samples or drop it")
        }
        guard timeoutSeconds > 0, timeoutSeconds <= 3600 else {
            throw AssayError("\(place): code.timeout_seconds is \(timeoutSeconds); use a value in (0, 3600]")
        }
        guard (16...1_048_576).contains(memoryMegabytes) else {
            throw AssayError("\(place): code.memory_mb is \(memoryMegabytes); use 16 to 1048576")
        }
    }

    /// The pass@k figures this task reports, smallest k first.
    public var metrics: [QualityMetric] { Array(Set(k)).sorted().map(QualityMetric.passAt) }
}
