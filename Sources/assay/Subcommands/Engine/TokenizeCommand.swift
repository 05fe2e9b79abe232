import ArgumentParser
import AssayEngine
import Foundation
import GGUF

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show the token ids a model's tokenizer gives a text.",
        discussion: """
            Special-token text such as <|im_start|> becomes its single id unless --no-special is given. \
            BOS/EOS are added when the model's metadata asks for them, unless --no-bos is given. Only the \
            tokenizer metadata is read, so a vocabulary-only GGUF (no tensors) works too.

            Example:
              assay tokenize --model SmolLM2-135M-Instruct.Q4_1.gguf --json "<|im_start|>user"
              assay tokenize --model ggml-vocab-llama-bpe.gguf --no-bos "Hello world"
            """
    )

    @Option(help: "The model: a path to a .gguf file, or the name of an embedded model in the database.")
    var model: String

    @OptionGroup var output: JSONOption
    @OptionGroup var database: DatabaseOptions

    @Flag(name: .customLong("no-special"), help: "Tokenize special-token text as ordinary text.")
    var noSpecial = false

    @Flag(name: .customLong("no-bos"), help: "Add no BOS/EOS even where the metadata asks for them.")
    var noBOS = false

    @Argument(help: "The text to tokenize.")
    var text: String

    struct Output: Encodable {
        let ids: [Int]
        let pieces: [String]
    }

    func run() throws {
        let url = try ModelLocator.file(model, database: database)
        let tokenizer = try Tokenizer(file: GGUFFile(contentsOf: url), source: url.path)
        let ids = tokenizer.encode(text, addSpecial: !noBOS, parseSpecial: !noSpecial)
        let pieces = ids.map { tokenizer.decode([$0]) }
        if output.json {
            try JSONOutput.print(Output(ids: ids, pieces: pieces))
        } else {
            for (id, piece) in zip(ids, pieces) { print("\(id)\t\(piece.debugDescription)") }
        }
    }
}
