import ArgumentParser
import Foundation
import TinyGPT

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Run the model on a prompt in instrumented mode and export every intermediate tensor.")

    @Argument(help: "The prompt.")
    var prompt: String
    @OptionGroup var model: ModelOptions
    @Flag(help: "Print {\"tokens\", \"ids\", \"tensors\": {NAME: {\"shape\", \"data\"}}} on stdout.")
    var json = false
    @Option(help: "Also write the tensors to this safetensors file.")
    var safetensors: String?

    func run() throws {
        let bundle = try model.load()
        let ids = try bundle.promptIDs(prompt)
        let trace = bundle.model.forward(ids, trace: true).trace!
        let tokens = ids.map { bundle.tokenizer.displayText($0) }
        if let safetensors {
            try AtomicFile.write(TraceExport.safetensors(trace, tokens: tokens, ids: ids), to: URL(fileURLWithPath: safetensors))
        }
        if json {
            emit(TraceExport.json(trace, tokens: tokens))
        } else if safetensors == nil {
            print("\(ids.count) tokens: \(tokens.joined(separator: " | "))")
            for name in trace.orderedNames { print("\(name)  \(trace[name]!.shape)") }
        }
    }
}
