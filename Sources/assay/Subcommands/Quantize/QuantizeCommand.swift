import ArgumentParser
import Foundation
import GGUF

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Write a GGUF model with its weights re-encoded in another type.",
        discussion: """
            Every metadata key is copied in order; general.file_type is set (llama.cpp numbering) and \
            general.name is replaced when --name is given. 1-D tensors (norms, biases) stay F32. For 4- and \
            5-bit types the token embedding and output matrices are written as Q8_0, following llama.cpp, \
            which keeps them at higher precision. A source that is already quantized is dequantized first, \
            so its error adds to the new one. The output is written to a temporary file and renamed, so an \
            error never leaves a partial file.

            q2_k, q3_k_s, q3_k_m, q3_k_l, q4_k_s, q4_k_m, q5_k_s, q5_k_m and q6_k are llama.cpp's K-quant \
            mixtures, one type per tensor as llama-quantize picks it: the output matrix (or a tied \
            embedding) Q6_K; attn_v (or Phi-3's fused attn_qkv), ffn_down and attn_output a type or two above \
            the base type in the layers llama.cpp favours (in q4_k_m, attn_v and ffn_down Q6_K in the first \
            and last eighth of the layers and every third between); rows that are not whole 256-element \
            super-blocks fall back to Q4_0, Q5_0, Q5_1 or Q8_0.

            --imatrix FILE reads an importance matrix (from assay imatrix, or llama-imatrix in its GGUF or \
            legacy .dat form): each matrix it covers is quantized to the importance-weighted error instead \
            of the plain one, as llama-quantize does, and the file is recorded in the output's \
            quantize.imatrix.* metadata. It helps most at 2 to 4 bits.

            Example:
              assay quantize SmolLM2-135M-Instruct.Q4_1.gguf smollm2-q8_0.gguf --type q8_0 --name smollm2-q8
              assay quantize model-f32.gguf model-q4_0.gguf --type q4_0
              assay quantize model-f16.gguf model-q4_k_m.gguf --type q4_k_m
              assay quantize model-f16.gguf model-q3_k_m.gguf --type q3_k_m --imatrix model.imatrix.gguf
            """
    )

    @Argument(help: "The source GGUF model.")
    var input: String

    @Argument(help: "The GGUF file to write.")
    var output: String

    @Option(
        name: .customLong("type"),
        help: ArgumentHelp(
            "The weight type: \(QuantizationTarget.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "type"))
    var target: QuantizationTarget

    @Option(help: "The model's new general.name (and the name suggested for `assay model add`).")
    var name: String?

    @Option(help: "An importance matrix (assay imatrix or llama-imatrix, .gguf or .dat) to weight the rounding error by.")
    var imatrix: String?

    func run() throws {
        try Self.quantize(input: input, output: output, target: target, name: name, imatrix: imatrix)
    }

    /// Writes `output` and reports what was re-encoded; `assay demo` makes its variants through this too.
    static func quantize(input: String, output: String, target: QuantizationTarget, name: String?, imatrix: String? = nil) throws {
        let showProgress = isatty(STDERR_FILENO) == 1
        let importance = try imatrix.map { try ImportanceMatrix(contentsOf: URL(fileURLWithPath: $0)) }
        let quantizer = Quantizer(target: target, name: name, importance: importance, importancePath: imatrix)
        let summary = try quantizer.quantize(
            input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output)
        ) { progress in
            guard showProgress else { return }
            let line = "[\(progress.index + 1)/\(progress.count)] \(progress.name) -> \(progress.type.name)"
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }

        let counts = summary.typeCounts.sorted { ($1.value, $0.key.rawValue) < ($0.value, $1.key.rawValue) }.map {
            "\($0.value) \($0.key.name)"
        }
        print(
            "Wrote \(output): \(summary.tensorTypes.count) tensors (\(counts.joined(separator: ", "))), "
                + "\(size(summary.inputBytes)) -> \(size(summary.outputBytes)).")
        print("Re-encoded \(summary.convertedCount) tensors; copied \(summary.copiedCount) unchanged.")
        if let imatrix, let importance {
            print(
                "Weighted by the importance matrix \(imatrix): \(summary.weightedByImportance) tensors "
                    + "(it has \(importance.entries.count) entries from \(importance.chunkCount) chunks).")
        }
        if !summary.dequantizedSources.isEmpty {
            let sources = summary.dequantizedSources.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.value) \($0.key.name)" }.joined(separator: ", ")
            print(
                "Dequantized first: \(sources) tensors of the source were already quantized; "
                    + "their error adds to the new \(target.rawValue) error.")
        }
        if !summary.keptAtQ8_0.isEmpty {
            print("Kept at Q8_0: \(summary.keptAtQ8_0.joined(separator: ", ")).")
        }
        if !summary.fellBackToF16.isEmpty {
            print("Written as F16 (rows not whole blocks): \(summary.fellBackToF16.joined(separator: ", ")).")
        }
        let suggestedName = name ?? URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        print("Next: assay model add \(suggestedName) --gguf \(output)")
    }

    private static func size(_ bytes: Int) -> String {
        bytes < 1_000_000 ? String(format: "%.1f kB", Double(bytes) / 1_000) : String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
