import ArgumentParser
import Foundation
import Figures
import Lessons
import Kernels
import TinyGPT

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed (release builds): train, trace, generate, render, lessons.",
        subcommands: [BenchTrain.self, BenchTrace.self, BenchGenerate.self, BenchRender.self, BenchLessons.self])
}

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train",
        abstract: "ms/step, tokens/s and GFLOP/s of a training step on random tokens (reference: 4 layers, 4 heads, width 64, context 64, vocab 256, batch 16; large: 6 layers, 6 heads, width 192, context 128, vocab 1024, batch 8).",
        discussion: """
        --compare runs scripts/bench/pytorch_train_step.py (python3 with torch) in turn with our step, \
        --rounds times each, and prints PyTorch's median over ours. --blas times the step's matrix \
        products through our gemm and through OpenBLAS's cblas_sgemm (opened at run time from \
        libopenblas.so.0, e.g. Debian's libopenblas-dev) at the same shapes and thread count.
        """)
    enum Config: String, ExpressibleByArgument, CaseIterable { case reference, large }
    @Option(help: "Timed steps after 3 warm-up steps.") var steps = 20
    @Option(help: "Model and batch: \(Config.allCases.map(\.rawValue).joined(separator: " or ")).") var config = Config.reference
    @Flag(help: "Also run PyTorch's step (scripts/bench/pytorch_train_step.py) in turn and print the ratio.") var compare = false
    @Option(help: "Rounds of ours-then-PyTorch with --compare.") var rounds = 3
    @Option(help: "The PyTorch script for --compare.") var script = "scripts/bench/pytorch_train_step.py"
    @Flag(help: "Also time the step's matrix products: our gemm against OpenBLAS sgemm.") var blas = false

    func run() throws {
        guard steps >= 1 else { throw UserError("--steps \(steps) is out of range: allowed ≥ 1") }
        guard rounds >= 1 else { throw UserError("--rounds \(rounds) is out of range: allowed ≥ 1") }
        let (shape, batch) = config == .reference ? (TrainBench.referenceConfig, TrainBench.referenceBatch)
                                                  : (TrainBench.largeConfig, TrainBench.largeBatch)
        let flops = TrainBench.flops(config: shape, batchSize: batch)
        if compare, !FileManager.default.fileExists(atPath: script) {
            throw UserError("--script \(script) does not exist: --compare runs the PyTorch step from the repository root (or name the script with --script)")
        }
        var ours: [Double] = [], theirs: [Double] = []
        for _ in 0..<(compare ? rounds : 1) {
            let r = TrainBench.run(config: shape, batchSize: batch, steps: steps)
            ours.append(r.msPerStep)
            print(String(format: "train: %.1f ms/step (median of %d), %.0f tokens/s, %.1f GFLOP/s  [%@: L=%d H=%d C=%d T=%d V=%d B=%d, %.2f GFLOP/step, %d threads]",
                         r.msPerStep, steps, r.tokensPerSecond, flops / r.msPerStep / 1e6, config.rawValue, shape.layers, shape.heads,
                         shape.width, shape.contextLength, shape.vocabSize, batch, flops / 1e9, kernelThreads))
            if compare {
                let ms = try pytorchStep()
                theirs.append(ms)
                print(String(format: "pytorch: %.1f ms/step, %.1f GFLOP/s; this round PyTorch/ours = %.2f×", ms, flops / ms / 1e6, ms / r.msPerStep))
            }
        }
        if compare {
            let o = Stopwatch.median(ours), t = Stopwatch.median(theirs)
            print(String(format: "compare (%@, %d rounds): ours %.1f ms/step, PyTorch %.1f ms/step, PyTorch/ours = %.2f× (> 1: we are faster)",
                         config.rawValue, rounds, o, t, t / o))
        }
        if blas { try printMatmuls(shape, batch) }
    }

    /// One run of the PyTorch script: its median ms/step, read from its output line.
    private func pytorchStep() throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, "--threads", "\(kernelThreads)", "--steps", "\(steps)", "--config", config.rawValue]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw UserError("--compare could not start python3: \(error.localizedDescription)") }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0, let range = text.range(of: #"([0-9.]+) ms/step"#, options: .regularExpression),
              let ms = Double(text[range].split(separator: " ")[0]) else {
            let last = errText.split(separator: "\n").last.map(String.init) ?? "no output"
            throw UserError("--compare: the PyTorch step failed (\(last)); it needs python3 with torch: pip install torch numpy")
        }
        return ms
    }

    private func printMatmuls(_ shape: GPTConfig, _ batch: Int) throws {
        let rows = MatmulBench.run(config: shape, batchSize: batch)
        guard rows.first?.openBLAS != nil else {
            throw UserError("--blas: OpenBLAS (libopenblas.so.0) could not be opened: install Debian's libopenblas-dev")
        }
        print("matrix products of one step, \(kernelThreads) threads (GFLOP/s: ours | OpenBLAS sgemm):")
        for r in rows {
            print(String(format: "  %-26@ %6.1f | %6.1f", r.shape.description, r.shape.flops / r.ours / 1e9, r.shape.flops / r.openBLAS! / 1e9))
        }
        let f = rows.map(\.shape.flops).reduce(0, +), o = rows.map(\.ours).reduce(0, +), b = rows.map { $0.openBLAS! }.reduce(0, +)
        print(String(format: "  all: ours %.2f ms = %.1f GFLOP/s, OpenBLAS %.2f ms = %.1f GFLOP/s, ours/OpenBLAS speed %.2f×",
                     o * 1000, f / o / 1e9, b * 1000, f / b / 1e9, b / o))
    }
}

struct BenchTrace: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trace",
        abstract: "Forward time of a 32-token prompt with tracing off and on (shipped model).")
    @OptionGroup var model: ModelOptions
    @Option(help: "Timed runs.") var runs = 50

    func run() throws {
        guard runs >= 1 else { throw UserError("--runs \(runs) is out of range: allowed ≥ 1") }
        let bundle = try model.load()
        var rng = SplitMix64(seed: 3)
        let ids = (0..<min(32, bundle.model.config.contextLength)).map { _ in rng.nextInt(below: bundle.model.config.vocabSize) }
        let (offs, ons) = Stopwatch.pairedSamples(warmup: 3, runs: runs, { _ = bundle.model.forward(ids, trace: false) },
                                                  { _ = bundle.model.forward(ids, trace: true) })
        let off = Stopwatch.median(offs), on = Stopwatch.median(ons)
        print(String(format: "trace: %d tokens, untraced %.3f ms, traced %.3f ms (median of %d, run in turn), traced/untraced %.2f×",
                     ids.count, off * 1000, on * 1000, runs, on / off))
    }
}

struct BenchGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate",
        abstract: "tokens/s for 64 generated tokens, with and without the key/value cache (shipped model).")
    @OptionGroup var model: ModelOptions
    @Option(help: "Tokens to generate.") var tokens = 64
    @Option(help: "Timed runs of each (median reported).") var runs = 20

    func run() throws {
        guard runs >= 1 else { throw UserError("--runs \(runs) is out of range: allowed ≥ 1") }
        let bundle = try model.load()
        let prompt = [bundle.tokenizer.endOfTextID]
        let n = min(tokens, bundle.model.config.contextLength - 1)
        let r = try GenerationBenchmark.run(model: bundle.model, prompt: prompt, tokens: n, runs: runs)
        print(String(format: "generate: %d tokens (median of %d), cached %.0f tokens/s, uncached %.0f tokens/s, speed-up %.1f×",
                     r.tokens, runs, r.cachedTokensPerSecond, r.uncachedTokensPerSecond, r.cachedTokensPerSecond / r.uncachedTokensPerSecond))
    }
}

struct BenchLessons: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lessons",
        abstract: "Wall time of the full lesson build (zh and en, figures, walkthroughs) from the shipped model, and of the site built from it, into a temporary folder.")
    @OptionGroup var model: ModelOptions
    @Option(help: "Folder with lessons.json, templates/ and train-config.json (the training config used when the model folder has no train-config.json of its own).") var lessons = "lessons"
    @Option(help: "Timed builds (median reported).") var runs = 3

    func run() throws {
        guard runs >= 1 else { throw UserError("--runs \(runs) is out of range: allowed ≥ 1") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gptx-bench-lessons-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let pipeline = LessonPipeline(lessons: URL(fileURLWithPath: lessons), model: URL(fileURLWithPath: model.model))
        let output = out.appendingPathComponent("output")
        var times: [Double] = [], siteTimes: [Double] = [], totals: [Double] = []
        for _ in 0..<runs {
            var failure: UserError?
            times.append(Stopwatch.time {
                do throws(UserError) { _ = try pipeline.build(languages: Language.allCases, output: output) } catch { failure = error }
            })
            if let failure { throw failure }
            siteTimes.append(Stopwatch.time {
                do throws(UserError) { try SiteBuilder.build(outputDirectory: output, languages: Language.allCases) } catch { failure = error }
            })
            if let failure { throw failure }
            totals.append(times.last! + siteTimes.last!)
        }
        let files = (FileManager.default.enumerator(atPath: output.path)?.allObjects.count) ?? 0
        print(String(format: "lessons: %.2f s (median of %d), site: %.2f s, lessons + site: %.2f s, %d files, target < 5 s",
                     Stopwatch.median(times), runs, Stopwatch.median(siteTimes), Stopwatch.median(totals), files))
    }
}

struct BenchRender: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render",
        abstract: "figures/s for the whole `render --stage all` set (runs, layout and encoding), PNG and SVG, shipped model.")
    @OptionGroup var model: ModelOptions
    @Option(help: "Prompt to draw.") var prompt = "我爱机器学习"
    @Option(help: "Timed runs per format (median reported).") var runs = 3

    func run() throws {
        guard runs >= 1 else { throw UserError("--runs \(runs) is out of range: allowed ≥ 1") }
        let bundle = try model.load()
        let job = RenderJob(bundle: bundle, experiments: try ExperimentResults.load(model: bundle.directory), language: .zh, theme: .light)
        for (format, scale) in [(FigureFormat.png, 1.0), (.png, 2.0), (.svg, 1.0)] {
            var count = 0
            var samples: [Double] = []
            for i in 0...runs {
                let start = DispatchTime.now().uptimeNanoseconds
                // A fresh session each run, so the forward passes and decodings are timed too.
                let figures = try job.render(prompt: prompt, stages: FigureStage.allCases, explicit: false, options: nil, parameters: [:]).figures
                _ = try FigureFormat.encodeAll(figures.map(\.1.drawing), formats: [format], scale: scale)
                count = figures.count
                if i > 0 { samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }  // run 0 warms up
            }
            let t = Stopwatch.median(samples)
            let name = format == .png ? "png \(Int(scale))×" : format.rawValue
            print(String(format: "render %@: %d figures in %.3f s (median of %d) = %.1f figures/s", name, count, t, runs, Double(count) / t))
        }
    }
}
