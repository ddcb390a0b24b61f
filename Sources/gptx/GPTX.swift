import ArgumentParser
import Foundation
import TinyGPT
import Kernels

/// The command line: parses arguments and calls the libraries. Nothing else lives here.
@main
struct GPTX: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gptx",
        abstract: "A real, tiny GPT, trained here and drawn stage by stage: figures, lessons, walkthroughs.",
        subcommands: [Train.self, Generate.self, TraceCommand.self, Tokenize.self, Render.self, Bench.self, Experiment.self, LessonsCommand.self, SiteCommand.self])

    /// Runs the command; bad input is one line on stderr and exit status 2, never a crash.
    static func main() {
        // Before any kernel runs: a CPU without the instructions they were compiled for gets one line, not SIGILL.
        if let reason = kernelsCannotRunReason() { fail(reason) }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UserError {
            fail(error.message)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            fail(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("gptx: \(message)\n".utf8))
        Foundation.exit(2)
    }
}

/// `--model DIR`, shared by every command that reads the trained model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Folder with model.safetensors, tokenizer.json and train-log.jsonl.")
    var model: String = "lessons/model"

    func load() throws(UserError) -> ModelBundle {
        try ModelBundle.load(directory: URL(fileURLWithPath: model))
    }
}

/// Writes stdout in one piece (a JSON document).
func emit(_ data: Data) {
    FileHandle.standardOutput.write(data)
    if data.last != UInt8(ascii: "\n") { FileHandle.standardOutput.write(Data("\n".utf8)) }
}
