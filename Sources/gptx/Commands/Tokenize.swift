import ArgumentParser
import Foundation
import TinyGPT

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show how a text splits into tokens and ids.")

    @Argument(help: "The text.")
    var text: String
    @OptionGroup var model: ModelOptions
    @Flag(help: "Print {\"tokens\": [..], \"ids\": [..]} as JSON.")
    var json = false

    func run() throws {
        let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: model.model).appendingPathComponent("tokenizer.json"))
        let ids = tokenizer.encode(text)
        let tokens = ids.map { tokenizer.displayText($0) }
        if json {
            let obj: [String: Any] = ["tokens": tokens, "ids": ids]
            emit(try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes]))
        } else {
            print("\(ids.count) tokens")
            for (t, id) in zip(tokens, ids) { print("\(String(id).padding(toLength: 6, withPad: " ", startingAt: 0)) \(t)") }
        }
    }
}
