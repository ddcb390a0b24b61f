import ArgumentParser
import Foundation
import Figures
import Lessons
import TinyGPT

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed (release builds): train, trace, generate, render, lessons.",
        subcommands: [BenchTrain.self, BenchTrace.self, BenchGenerate.self, BenchRender.self, BenchLessons.self])
}

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train",
        abstract: "ms/step and tokens/s of a training step: 4 layers, 4 heads, width 64, context 64, vocab 256, batch 16, random tokens.")
    @Option(help: "Timed steps after 3 warm-up steps.") var steps = 20

    func run() throws {
        guard steps >= 1 else { throw UserError("--steps \(steps) is out of range: allowed ≥ 1") }
        let r = TrainBench.run(steps: steps)
        print(String(format: "train: %.1f ms/step (median of %d), %.0f tokens/s  [L=%d H=%d C=%d T=%d V=%d B=%d]",
                     r.msPerStep, steps, r.tokensPerSecond, r.config.layers, r.config.heads, r.config.width,
                     r.config.contextLength, r.config.vocabSize, r.batchSize))
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
        let off = Stopwatch.median(Stopwatch.samples(warmup: 3, runs: runs) { _ = bundle.model.forward(ids, trace: false) })
        let on = Stopwatch.median(Stopwatch.samples(warmup: 3, runs: runs) { _ = bundle.model.forward(ids, trace: true) })
        print(String(format: "trace: %d tokens, untraced %.3f ms, traced %.3f ms (median of %d), traced/untraced %.2f×",
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
