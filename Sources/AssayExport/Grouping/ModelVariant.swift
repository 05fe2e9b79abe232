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

    /// The model name with the quantization tag removed where it stands as a whole token (case
    /// and `-`/`_`/`.` ignored): "smollm2 Q4_0" -> "smollm2", "llama3.2:3b-instruct-q4_K_M" ->
    /// "llama3.2:3b-instruct", "bench-f16-1" -> "bench-1"; "q4mini" keeps its name.
    private static func family(of name: String, quantization: String?) -> String {
        guard let quantization, !quantization.isEmpty else { return name }
        let characters = Array(name)
        let tag = Array(quantization).map(normalized)
        guard tag.count <= characters.count else { return name }
        for start in stride(from: characters.count - tag.count, through: 0, by: -1) {
            let end = start + tag.count
            guard characters[start..<end].map(normalized) == tag,
                start == 0 || isSeparator(characters[start - 1]),
                end == characters.count || isSeparator(characters[end])
            else { continue }
            let head = characters[..<start].reversed().drop(while: isSeparator).reversed()
            let tail = characters[end...].drop(while: isSeparator)
            let joined = head.isEmpty || tail.isEmpty ? Array(head) + Array(tail) : Array(head) + [characters[start - 1]] + Array(tail)
            return joined.isEmpty ? name : String(joined)
        }
        return name
    }

    private static func isSeparator(_ character: Character) -> Bool {
        " -_:./@".contains(character)
    }

    /// ASCII letters in lower case and every separator as `_`, so "Q4_K_M" matches "q4-k-m".
    private static func normalized(_ character: Character) -> Character {
        if isSeparator(character) { return "_" }
        return character.isASCII ? Character(character.lowercased()) : character
    }
}
