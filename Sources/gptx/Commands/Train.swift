import ArgumentParser
import Foundation
import TinyGPT

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the tokenizer and the model on the corpus; write model.safetensors, tokenizer.json, train-log.jsonl, train-config.json.",
        discussion: """
        With --corpus DIR, trains on your own folder of UTF-8 .txt files (documents inside a file are separated \
        by a line holding only <|endoftext|>) instead of the config's corpus. The effective config is written to \
        OUT/train-config.json, so `gptx lessons --model OUT` reads the same corpus and split.
        """)

    @Option(help: "Training config (JSON); paths inside are relative to its folder.")
    var config: String = "lessons/train-config.json"
    @Option(help: "Output folder.")
    var out: String = "lessons/model"
    @Option(help: "Folder of .txt files to train on (overrides the config's corpus).")
    var corpus: String?
    @Option(help: "Override the config's number of steps.")
    var steps: Int?
    @Option(help: "Override the config's seed.")
    var seed: UInt64?

    func run() throws {
        let url = URL(fileURLWithPath: config)
        var cfg = try TrainConfig.load(from: url)
        if let steps {
            cfg.steps = steps
            cfg.warmupSteps = min(cfg.warmupSteps, max(0, steps - 1))
            cfg.snapshotSteps = cfg.snapshotSteps?.filter { $0 < steps }
        }
        if let seed { cfg.seed = seed }
        if let corpus { cfg.corpus = URL(fileURLWithPath: corpus).standardizedFileURL.path }
        let bar = ProgressLine()
        let summary = try Trainer.run(config: cfg, configDirectory: url.deletingLastPathComponent(),
                                      output: URL(fileURLWithPath: out)) { bar.update($0) }
        bar.finish()
        print("""
        trained \(summary.parameters) parameters for \(summary.steps) steps in \(String(format: "%.1f", summary.seconds)) s \
        on \(summary.documents) documents (\(summary.corpusBytes) bytes, \(summary.trainTokens) train / \(summary.valTokens) val tokens)
        final train loss \(String(format: "%.4f", summary.finalTrainLoss)) (on corpus text, mean of the last eval interval), val loss \(String(format: "%.4f", summary.finalValLoss))
        wrote \(out)/model.safetensors, tokenizer.json, train-log.jsonl, train-config.json
        """)
    }
}

/// A progress bar on a terminal (redrawn in place), plain lines every 100 steps otherwise.
final class ProgressLine {
    private let tty = isatty(STDERR_FILENO) != 0
    private var lastDraw = 0.0

    func update(_ p: TrainProgress) {
        let eta = Int(p.eta.rounded())
        let val = p.valLoss.map { String(format: "  val %.4f", $0) } ?? ""
        let text = String(format: "step %d/%d  loss %.4f", p.step, p.steps, p.loss) + val
            + String(format: "  lr %.2e  %.0f tok/s  ETA %d:%02d", p.learningRate, p.tokensPerSecond, eta / 60, eta % 60)
        if tty {
            guard p.elapsed - lastDraw > 0.1 || p.step == p.steps else { return }
            lastDraw = p.elapsed
            let width = 24, done = width * p.step / p.steps
            let bar = String(repeating: "█", count: done) + String(repeating: "░", count: width - done)
            FileHandle.standardError.write(Data("\r\(bar) \(text)\u{1B}[K".utf8))
        } else if p.step % 100 == 0 || p.step == p.steps || p.step == 1 {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
    }

    func finish() { if tty { FileHandle.standardError.write(Data("\n".utf8)) } }
}
