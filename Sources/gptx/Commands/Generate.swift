import ArgumentParser
import Foundation
import TinyGPT

extension DecodingStrategy: ExpressibleByArgument {}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue a prompt with greedy, sampling (temperature, top-k, top-p) or beam search.")

    @Argument(help: "The prompt.")
    var prompt: String
    @OptionGroup var model: ModelOptions
    @Option(help: "greedy | sample | beam")
    var strategy: DecodingStrategy = .greedy
    @Option(help: "Sampling temperature T ≥ 0 (0 = greedy).")
    var temperature: Float?
    @Option(name: .customLong("top-k"), help: "Keep the k most probable tokens (k ≥ 1).")
    var topK: Int?
    @Option(name: .customLong("top-p"), help: "Keep the smallest set whose probability reaches p (0 < p ≤ 1).")
    var topP: Float?
    @Option(name: .customLong("beam-width"), help: "Beam search width W (1 ≤ W ≤ vocabulary).")
    var beamWidth: Int?
    @Option(name: .customLong("length-penalty"), help: "Beam scores are logp / length^A.")
    var lengthPenalty: Float?
    @Option(name: .customLong("max-tokens"), help: "Generate at most N tokens.")
    var maxTokens: Int = 32
    @Option(help: "Seed of the sampler's uniform draws.")
    var seed: UInt64 = 0
    @Flag(name: .customLong("no-cache"), help: "Recompute the whole prefix each step instead of using the key/value cache.")
    var noCache = false
    @Flag(help: "Print the generation record as one JSON document.")
    var json = false

    func run() throws {
        let options = GenerationOptions(strategy: strategy, temperature: temperature, topK: topK, topP: topP,
                                        beamWidth: beamWidth, lengthPenalty: lengthPenalty, maxTokens: maxTokens, seed: seed)
        let bundle = try model.load()
        try options.validate(vocabSize: bundle.model.config.vocabSize)
        let ids = try bundle.promptIDs(prompt)
        let result = try bundle.model.generate(prompt: ids, options: options, endOfText: bundle.tokenizer.endOfTextID, cached: !noCache)
            .withText { bundle.tokenizer.decode($0) }
        if json {
            emit(try result.jsonData())
        } else {
            // The end-of-text token is the stop reason, said below; the text ends before it.
            let shown = result.ids.last == bundle.tokenizer.endOfTextID ? Array(result.ids.dropLast()) : result.ids
            print(prompt + bundle.tokenizer.decode(shown))
            var notes = ["stop: \(result.stop.rawValue)"]
            if let r = result.repetition { notes.append("repetition from token \(r.position)") }
            FileHandle.standardError.write(Data("(\(notes.joined(separator: ", ")))\n".utf8))
        }
    }
}
