import Foundation
import Testing
@testable import TinyGPT

private let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite(.serialized) struct ExperimentTests {
    /// Points lying exactly on L = 10^0.8 · N^-0.07 give back that slope and intercept.
    @Test func leastSquaresRecoversAKnownPowerLaw() {
        let ns: [Double] = [1e3, 3e3, 1e4, 3e4, 1e5, 4.2e5]
        let law = PowerLaw.fit(ns.map { ($0, pow(10, 0.8) * pow($0, -0.07)) })
        #expect(abs(law.slope - -0.07) < 1e-12)
        #expect(abs(law.intercept - 0.8) < 1e-12)
        #expect(abs(law(1e4) - pow(10, 0.8 - 0.28)) < 1e-12)
        // Noise that is symmetric around the line in log space leaves the fit unchanged.
        let noisy = ns.enumerated().map { i, n in (n, pow(10, 0.5 - 0.2 * log10(n) + (i % 2 == 0 ? 0.01 : -0.01))) }
        let fitted = PowerLaw.fit(noisy)
        #expect(abs(fitted.slope - -0.2) < 0.01)
        // Two points: the line through them.
        let two = PowerLaw.fit([(1e3, 4), (1e4, 2)])
        #expect(abs(two.slope - log10(0.5)) < 1e-12)
        #expect(abs(two.intercept - (log10(4) - 3 * log10(0.5))) < 1e-12)
    }

    static let tinySizes = ScalingSettings(widths: [8, 16, 24], layers: 1, headSize: 8, steps: 12, lanes: 2)

    @Test func scalingGivesOnePointPerSizeAndIsDeterministic() throws {
        let corpus = try TrainingTests.tinyCorpus()
        let config = TrainingTests.tinyTrainConfig(corpus: corpus.path)
        var seen: [Int] = []
        let result = try ScalingExperiment.run(config: config, configDirectory: corpus, settings: Self.tinySizes) { p, _ in seen.append(p.width) }
        #expect(seen.sorted() == [8, 16, 24], "one progress call per size (in the order they finish)")
        let vocab = try Trainer.prepare(config: config, configDirectory: corpus).tokenizer.vocabSize
        #expect(result.points.map(\.width) == [8, 16, 24])
        #expect(result.points.map(\.heads) == [1, 2, 3])
        for p in result.points {
            let shape = GPTConfig(vocabSize: vocab, contextLength: 16, layers: 1, heads: p.heads, width: p.width)
            #expect(p.parameters == ParameterLayout(shape).count)
            #expect(p.layers == 1 && p.steps == 12)
            #expect(p.valLoss.isFinite && p.valLoss > 0 && p.trainLoss.isFinite)
        }
        // The stored law is the least-squares fit of the stored points.
        let law = PowerLaw.fit(result.points.map { (Double($0.parameters), Double($0.valLoss)) })
        #expect(result.slope == law.slope && result.intercept == law.intercept)
        #expect(result.batchSize == 4 && result.contextLength == 16 && result.seed == 7)
        // Side by side (2 lanes, one kernel thread each) or one after another: the same bytes.
        var oneLane = Self.tinySizes
        oneLane.lanes = 1
        let again = try ScalingExperiment.run(config: config, configDirectory: corpus, settings: oneLane)
        #expect(ExperimentResults.encode(again) == ExperimentResults.encode(result))
        // Another seed trains different models.
        var other = config
        other.seed = 8
        #expect(try ScalingExperiment.run(config: other, configDirectory: corpus, settings: Self.tinySizes).points != result.points)
    }

    /// A tiny model trained on 开心/忙/累/幸福 in equal shares, fine-tuned on documents where
    /// 我今天很 is always followed by 幸福.
    @Test func fineTuningMovesProbabilityTowardTheTargetAndIsDeterministic() throws {
        let corpus = try TrainingTests.tinyCorpus()
        let modelDir = corpus.appendingPathComponent("model")
        var pretraining = TrainingTests.tinyTrainConfig(corpus: corpus.path)
        pretraining.steps = 80
        _ = try Trainer.run(config: pretraining, configDirectory: corpus, output: modelDir)
        let checkpoint = try Data(contentsOf: modelDir.appendingPathComponent("model.safetensors"))
        let bundle = try ModelBundle.load(directory: modelDir)
        let data = corpus.appendingPathComponent("finetune")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let docs = (0..<12).map { "我今天很幸福。\(["我爱机器学习。", "生活很美好。", "有家人真好。"][$0 % 3])" }
        try (docs.joined(separator: "\n<|endoftext|>\n") + "\n").write(to: data.appendingPathComponent("ft.txt"), atomically: true, encoding: .utf8)

        let settings = FineTuneSettings(prompt: "我今天很", steps: 20, batchSize: 4, learningRate: 1e-2, maxTokens: 8)
        let result = try FineTuneExperiment.run(bundle: bundle, data: data, settings: settings)
        let prompt = bundle.tokenizer.encode("我今天很")
        let full = bundle.tokenizer.encode("我今天很幸福")
        #expect(Array(full.prefix(prompt.count)) == prompt)
        let target = full[prompt.count]
        // Read at a document's start, as training saw every document.
        #expect(result.promptIDs == [bundle.tokenizer.endOfTextID] + prompt)
        #expect(result.documents == docs)
        #expect(result.losses.count == 20 && result.steps == 20 && result.learningRate == 1e-2 && result.batchSize == 4)
        #expect(result.before.count == bundle.model.config.vocabSize && result.after.count == result.before.count)
        #expect(abs(result.before.reduce(0, +) - 1) < 1e-4 && abs(result.after.reduce(0, +) - 1) < 1e-4)
        #expect(result.before[target] < result.after[target], "P(幸福) \(result.before[target]) → \(result.after[target])")
        #expect(result.after[target] > 0.5, "P(幸福) after fine-tuning is only \(result.after[target])")
        #expect(result.losses.last! < result.losses.first!, "\(result.losses)")
        // The before side is the trained model itself, after <|endoftext|> and the prompt.
        let own = Sampler.softmax(bundle.model.nextTokenLogits([bundle.tokenizer.endOfTextID] + prompt)).map { Float($0) }
        #expect(result.before == own)

        let again = try FineTuneExperiment.run(bundle: bundle, data: data, settings: settings)
        #expect(ExperimentResults.encode(again) == ExperimentResults.encode(result))
        // The model that was fine-tuned is a copy: neither the bundle nor its files changed.
        #expect(Sampler.softmax(bundle.model.nextTokenLogits([bundle.tokenizer.endOfTextID] + prompt)).map { Float($0) } == own)
        #expect(try Data(contentsOf: modelDir.appendingPathComponent("model.safetensors")) == checkpoint)
    }

    @Test func resultFilesRoundTripThroughLoad() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gptx-exp-\(UUID().uuidString)")
        let experiments = ExperimentResults.directory(model: dir)
        try FileManager.default.createDirectory(at: experiments, withIntermediateDirectories: true)
        #expect(try ExperimentResults.load(model: dir) == ExperimentResults())
        let scaling = ScalingResult(points: [ScalingPoint(layers: 2, heads: 1, width: 8, parameters: 9000, steps: 5, trainLoss: 3.25, valLoss: 3.5),
                                             ScalingPoint(layers: 2, heads: 2, width: 16, parameters: 20000, steps: 5, trainLoss: 2.75, valLoss: 3)],
                                    slope: -0.19, intercept: 1.3, batchSize: 16, contextLength: 64, learningRate: 0.003, seed: 1337)
        let fineTune = FineTuneResult(prompt: "我今天很", promptIDs: [258, 641, 260], documents: ["我今天很幸福。"], steps: 2,
                                      learningRate: 3e-4, losses: [1.5, 1.25], before: [0.25, 0.75], after: [0.5, 0.5],
                                      beforeText: "忙。", afterText: "幸福。", batchSize: 8)
        try AtomicFile.write(ExperimentResults.encode(scaling), to: experiments.appendingPathComponent("scaling.json"))
        try AtomicFile.write(ExperimentResults.encode(fineTune), to: experiments.appendingPathComponent("finetune.json"))
        #expect(try ExperimentResults.load(model: dir) == ExperimentResults(scaling: scaling, fineTune: fineTune))
        let text = try String(contentsOf: experiments.appendingPathComponent("scaling.json"), encoding: .utf8)
        #expect(text.contains("\"val_loss\"") && text.contains("\"batch_size\""))

        let broken = experiments.appendingPathComponent("finetune.json")
        try Data("{\"prompt\": 3}".utf8).write(to: broken)
        #expect(throws: UserError.self) { try ExperimentResults.load(model: dir) }
        do { _ = try ExperimentResults.load(model: dir) } catch {
            #expect(error.message.hasPrefix(broken.path + ": experiment result is not valid"))
        }
    }

    /// The committed result files load and hold what the lessons draw.
    @Test func shippedResultsLoad() throws {
        let model = repoRoot.appendingPathComponent("lessons/model")
        let results = try ExperimentResults.load(model: model)
        let scaling = try #require(results.scaling)
        #expect(scaling.points.count >= 5)
        #expect(scaling.points.map(\.parameters) == scaling.points.map(\.parameters).sorted())
        #expect(scaling.slope < 0)
        let fineTune = try #require(results.fineTune)
        let bundle = try ModelBundle.load(directory: model)
        #expect(fineTune.before.count == bundle.model.config.vocabSize && fineTune.after.count == fineTune.before.count)
        #expect(fineTune.promptIDs == [bundle.tokenizer.endOfTextID] + bundle.tokenizer.encode(fineTune.prompt))
        #expect(fineTune.losses.count == fineTune.steps)
        #expect(fineTune.before == Sampler.softmax(bundle.model.nextTokenLogits(fineTune.promptIDs)).map { Float($0) })
    }

    @Test func badInputsAreOneLineErrorsNamingTheFile() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return (error as? UserError)?.message ?? "not a UserError: \(error)" }
        }
        let corpus = try TrainingTests.tinyCorpus()
        // Missing model.
        let missing = corpus.appendingPathComponent("no-model")
        let noModel = message { _ = try ModelBundle.load(directory: missing) }
        #expect(noModel.contains(missing.appendingPathComponent("model.safetensors").path), "\(noModel)")
        // Bad config.
        let bad = corpus.appendingPathComponent("bad.json")
        try Data("{\"model\": 1}".utf8).write(to: bad)
        let badConfig = message { _ = try TrainConfig.load(from: bad) }
        #expect(badConfig.hasPrefix(bad.path + ": training config is not valid"), "\(badConfig)")
        // Bad sizes.
        #expect(message { try ScalingSettings(widths: [16]).validate() }.contains("at least 2 widths"))
        #expect(message { try ScalingSettings(widths: [16, 20]).validate() } == "scaling width 20 is not a multiple of the head size 8")
        // Fine-tuning data: missing folder, no documents, too few tokens.
        let modelDir = corpus.appendingPathComponent("model")
        _ = try Trainer.run(config: TrainingTests.tinyTrainConfig(corpus: corpus.path), configDirectory: corpus, output: modelDir)
        let bundle = try ModelBundle.load(directory: modelDir)
        let nowhere = corpus.appendingPathComponent("nowhere")
        #expect(message { _ = try FineTuneExperiment.run(bundle: bundle, data: nowhere) }.contains(nowhere.path))
        let empty = corpus.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Data("\n<|endoftext|>\n  \n".utf8).write(to: empty.appendingPathComponent("a.txt"))
        let emptyMessage = message { _ = try FineTuneExperiment.run(bundle: bundle, data: empty) }
        #expect(emptyMessage.contains(empty.path) && emptyMessage.contains("no documents"), "\(emptyMessage)")
        let small = corpus.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        try Data("我今天很幸福。".utf8).write(to: small.appendingPathComponent("a.txt"))
        let smallMessage = message { _ = try FineTuneExperiment.run(bundle: bundle, data: small) }
        #expect(smallMessage.hasPrefix(small.path + ": fine-tuning data too small"), "\(smallMessage)")
        // Bad fine-tuning settings and prompts.
        #expect(message { _ = try FineTuneExperiment.run(bundle: bundle, data: small, settings: FineTuneSettings(learningRate: 2)) }
            .hasPrefix("fine-tuning: learning_rate 2.0 is out of range"))
        #expect(message { _ = try FineTuneExperiment.run(bundle: bundle, data: small, settings: FineTuneSettings(prompt: "")) }
            .hasPrefix("the prompt is empty"))
        for m in [noModel, badConfig, emptyMessage, smallMessage] { #expect(!m.contains("\n")) }
    }
}
