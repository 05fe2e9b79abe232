import Foundation

/// A CPU model name reduced to the words that identify the part, so that /proc/cpuinfo's
/// "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz" and CodeCarbon's "Intel Xeon Gold 6248R" agree.
struct ModelNameTokens: Equatable {
    /// Upper-case words, without vendor marks ("(R)", "(TM)"), the clock speed and whatever
    /// follows a comma, "CPU", "Processor", a stepping "0", "12th Gen" or a core count.
    let words: Set<String>
    /// The words with a digit: "7763", "8480+", "I7-12700K", "V4", the "9" of "Ryzen 9".
    let modelNumbers: Set<String>
    /// "AMD" or "INTEL" when the name says so.
    let vendors: Set<String>
    /// From "64-Core Processor" (AMD's model names state it).
    let cores: Int?

    private static let fillerWords: Set<String> = ["CPU", "PROCESSOR", "GEN", "0"]
    private static let vendorWords: Set<String> = ["AMD", "INTEL"]

    init(_ modelName: String) {
        var text = modelName.uppercased()
        for mark in ["(R)", "(TM)", "®", "™"] {
            text = text.replacingOccurrences(of: mark, with: " ")
        }
        // "@ 2.20GHz" and APU descriptors such as ", 10 Compute Cores 4C+6G" do not name the model.
        if let cut = text.firstIndex(where: { $0 == "@" || $0 == "," }) {
            text = String(text[..<cut])
        }
        var words: Set<String> = []
        var cores: Int?
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            if let count = Self.coreCount(word) {
                cores = count
            } else if !Self.fillerWords.contains(word) && !Self.isGeneration(word) && !Self.isClockSpeed(word) {
                words.insert(word)
            }
        }
        self.words = words
        modelNumbers = words.filter { $0.contains(where: \.isNumber) }
        vendors = words.intersection(Self.vendorWords)
        self.cores = cores
    }

    /// "64-CORE" or "64-CORES" (Threadripper PRO).
    private static func coreCount(_ word: String) -> Int? {
        for suffix in ["-CORE", "-CORES"] where word.hasSuffix(suffix) {
            if let count = Int(word.dropLast(suffix.count)), count > 0 { return count }
        }
        return nil
    }

    /// The "12TH" of "12th Gen Intel(R) Core(TM) i7-12700K".
    private static func isGeneration(_ word: String) -> Bool {
        ["ST", "ND", "RD", "TH"].contains { word.hasSuffix($0) && word.dropLast(2).allSatisfy(\.isNumber) && word.count > 2 }
    }

    /// "2.20GHZ" written without the "@".
    private static func isClockSpeed(_ word: String) -> Bool {
        (word.hasSuffix("GHZ") || word.hasSuffix("MHZ")) && word.first?.isNumber == true
    }
}
