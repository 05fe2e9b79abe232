import Foundation

/// Where a model stands among the variants of one base model: its family (the name without the
/// quantization tag) and how many bits a weight takes, so that exports can put the
/// higher-precision run first and pair each quantized run with its baseline.
public struct ModelVariant: Sendable, Equatable, Hashable {
    public let family: String
    /// Bits per weight read from the quantization name (F32 32, F16/BF16 16, Q8_0 8, Q4_K_M 4);
    /// nil when the model records no quantization, which is taken as the unquantized original.
    public let bits: Double?

    public init(modelName: String, quantization: String?) {
        bits = quantization.flatMap(Self.bits(of:))
        family = Self.family(of: modelName, quantization: quantization)
    }

    /// "smollm2 (Q4_0)": the model name, with the quantization added when the name lacks it.
    public static func title(model: String, quantization: String?) -> String {
        guard let quantization, !quantization.isEmpty, !model.localizedCaseInsensitiveContains(quantization) else { return model }
        return "\(model) (\(quantization))"
    }

    /// Higher precision first; an unrecorded quantization counts as full precision.
    public func isMorePrecise(than other: ModelVariant) -> Bool {
        (bits ?? .infinity) > (other.bits ?? .infinity)
    }

    /// The first number in the name is the bit count in every scheme in use: F32, BF16, Q8_0,
    /// Q4_K_M, IQ3_XXS, MXFP4, INT8.
    private static func bits(of quantization: String) -> Double? {
        Double(quantization.drop { !$0.isNumber }.prefix { $0.isNumber })
    }

    /// The model name with the quantization tag and the separators around it removed:
    /// "smollm2 Q4_0" -> "smollm2", "llama3.2:3b-instruct-q4_K_M" -> "llama3.2:3b-instruct".
    private static func family(of name: String, quantization: String?) -> String {
        guard let quantization, !quantization.isEmpty,
              let range = name.range(of: quantization, options: [.caseInsensitive, .backwards]) else {
            return name
        }
        let separators = CharacterSet(charactersIn: " -_:./@")
        let stripped = (name[..<range.lowerBound] + name[range.upperBound...])
            .trimmingCharacters(in: separators)
        return stripped.isEmpty ? name : stripped
    }
}
