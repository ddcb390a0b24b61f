import ArgumentParser
import Foundation
import TinyGPT

/// `gptx experiment scaling|finetune`: the two experiments whose results ship beside the model.
struct Experiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the scaling-law or fine-tuning experiment; write its JSON result.",
        subcommands: [Scaling.self, FineTune.self])

    struct Scaling: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train several model sizes on the same corpus and fit loss = a·N^b; write scaling.json.")

        @Option(help: "Training config (JSON): corpus, tokenizer size, context, batch, schedule, seed.")
        var config: String = "lessons/train-config.json"
        @Option(help: "Output folder for scaling.json.")
        var out: String = "lessons/model/experiments"
        @Option(help: "Comma-separated residual widths, one model each.")
        var widths: String = ScalingSettings().widths.map(String.init).joined(separator: ",")
        @Option(help: "Blocks in every model.")
        var layers: Int = ScalingSettings().layers
        @Option(name: .customLong("head-size"), help: "Dimensions per attention head (heads = width / head size).")
        var headSize: Int = ScalingSettings().headSize
        @Option(help: "Training steps per size.")
        var steps: Int = ScalingSettings().steps
        @Option(help: "Sizes trained side by side, one kernel thread each (1: one after another, on all kernel threads). Same results either way.")
        var lanes: Int = ScalingSettings().lanes

        func run() throws {
            let parsed = widths.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                throw UserError("--widths \(widths) is not valid: allowed a comma-separated list of positive integers, e.g. 16,32,64")
            }
            guard lanes >= 1 && lanes <= 64 else { throw UserError("--lanes \(lanes) is out of range: allowed 1...64") }
            let settings = ScalingSettings(widths: parsed.map { $0! }, layers: layers, headSize: headSize, steps: steps, lanes: lanes)
            try settings.validate()
            let url = URL(fileURLWithPath: config)
            let cfg = try TrainConfig.load(from: url)
            let output = URL(fileURLWithPath: out)
            try Trainer.prepareOutput(output)
            let start = Date()
            let result = try ScalingExperiment.run(config: cfg, configDirectory: url.deletingLastPathComponent(), settings: settings) { p, seconds in
                note(String(format: "width %d (%d layers, %d heads): %d parameters, val loss %.4f, train loss %.4f, %.1f s",
                            p.width, p.layers, p.heads, p.parameters, p.valLoss, p.trainLoss, seconds))
            }
            let file = output.appendingPathComponent("scaling.json")
            try AtomicFile.write(ExperimentResults.encode(result), to: file)
            print(String(format: "log10 L = %.4f %+.4f · log10 N  (%d sizes, %d steps each, %d lanes, %.1f s wall time)",
                         result.intercept, result.slope, result.points.count, steps, settings.lanes, Date().timeIntervalSince(start)))
            print("wrote \(file.path)")
        }
    }

    struct FineTune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "finetune",
            abstract: "Fine-tune a copy of the model on our small dataset; write finetune.json (the model is not changed).")

        @OptionGroup var model: ModelOptions
        @Option(help: "Folder of *.txt fine-tuning documents (separated by <|endoftext|> lines).")
        var data: String = "lessons/finetune"
        @Option(help: "Output folder for finetune.json.")
        var out: String = "lessons/model/experiments"
        @Option(help: "The prompt whose next-token distribution is compared.")
        var prompt: String = FineTuneSettings().prompt
        @Option(help: "Fine-tuning steps.")
        var steps: Int = FineTuneSettings().steps
        @Option(name: .customLong("batch-size"), help: "Windows per step.")
        var batchSize: Int = FineTuneSettings().batchSize
        @Option(name: .customLong("learning-rate"), help: "Constant learning rate.")
        var learningRate: Float = FineTuneSettings().learningRate
        @Option(help: "Seed of the batches.")
        var seed: UInt64 = FineTuneSettings().seed

        func run() throws {
            let settings = FineTuneSettings(prompt: prompt, steps: steps, batchSize: batchSize, learningRate: learningRate, seed: seed)
            let bundle = try model.load()
            let output = URL(fileURLWithPath: out)
            try Trainer.prepareOutput(output)
            let start = Date()
            let result = try FineTuneExperiment.run(bundle: bundle, data: URL(fileURLWithPath: data), settings: settings)
            let file = output.appendingPathComponent("finetune.json")
            try AtomicFile.write(ExperimentResults.encode(result), to: file)
            let top = { (p: [Float]) in
                p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }.prefix(4)
                    .map { "\(bundle.tokenizer.displayText($0)) " + String(format: "%.3f", p[$0]) }.joined(separator: ", ")
            }
            print(String(format: "%d steps in %.1f s, loss %.4f → %.4f", steps, Date().timeIntervalSince(start),
                         result.losses.first ?? .nan, result.losses.last ?? .nan))
            print("before: \(top(result.before))\n  \(prompt)\(result.beforeText)")
            print("after:  \(top(result.after))\n  \(prompt)\(result.afterText)")
            print("wrote \(file.path)")
        }
    }
}

/// A progress line on stderr.
private func note(_ line: String) { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
