import Foundation
import Testing
@testable import TinyGPT
@testable import Kernels

@Suite(.serialized) struct TrainingTests {
    @Test func scheduleWarmsUpThenDecaysByCosine() {
        let s = LearningRateSchedule(peak: 1, floor: 0.1, warmupSteps: 10, totalSteps: 110)
        #expect(abs(s.rate(at: 0) - 0.1) < 1e-7)
        #expect(abs(s.rate(at: 9) - 1) < 1e-7)
        #expect(abs(s.rate(at: 10) - 1) < 1e-7)
        // Half-way through the decay, cos(π/2) = 0: midway between peak and floor.
        #expect(abs(s.rate(at: 10 + 99 / 2) - 0.55) < 0.02)
        #expect(abs(s.rate(at: 109) - 0.1) < 1e-6)
    }

    /// One AdamW step by hand: with m̂ = g and v̂ = g² after bias correction, the update is
    /// lr·(g/(|g| + ε) + wd·p) = lr·(sign(g) + wd·p) for matrices, lr·sign(g) for vectors.
    @Test func adamWFirstStepByHandWithClipping() {
        let config = GPTConfig(vocabSize: 5, contextLength: 4, layers: 1, heads: 1, width: 4)
        let model = GPT(config: config, seed: 1)
        let before = model.parameters
        let ws = TrainingWorkspace(model: model, batchSize: 1, sequenceLength: 4)
        ws.load(inputs: [1, 2, 3, 4], targets: [2, 3, 4, 0])
        model.forward(ws)
        model.backward(ws)
        let g = ws.gradients
        let norm = Float(g.map { Double($0) * Double($0) }.reduce(0, +).squareRoot())
        let opt = AdamW(layout: model.layout, weightDecay: 0.1)
        let (reported, clipped) = opt.update(model, ws, lr: 0.01, clip: norm / 2)
        #expect(abs(reported - norm) / norm < 1e-5)
        #expect(clipped)
        let after = model.parameters
        for t in model.layout.tensors {
            for i in t.offset..<(t.offset + t.count) where abs(g[i]) > 1e-4 {
                let expected = before[i] - 0.01 * ((g[i] > 0 ? 1 : -1) + (t.isMatrix ? 0.1 * before[i] : 0))
                #expect(abs(after[i] - expected) < 1e-5, "\(t.name)[\(i - t.offset)]")
            }
        }
    }

    /// Splitting the products between threads must not change a single bit of the gradients.
    @Test func threadsDoNotChangeTheGradients() {
        let config = GPTConfig(vocabSize: 64, contextLength: 32, layers: 2, heads: 4, width: 64)
        func gradients(threads: Int) -> ([Float], Float) {
            let saved = kernelThreads
            kernelThreads = threads
            defer { kernelThreads = saved }
            let model = GPT(config: config, seed: 9)
            let ws = TrainingWorkspace(model: model, batchSize: 4, sequenceLength: 32)
            var rng = SplitMix64(seed: 4)
            ws.load(inputs: (0..<128).map { _ in rng.nextInt(below: 64) }, targets: (0..<128).map { _ in rng.nextInt(below: 64) })
            let loss = model.forward(ws)
            model.backward(ws)
            let grads = ws.gradients
            AdamW(layout: model.layout).update(model, ws, lr: 1e-3, clip: 1)
            return (grads + model.parameters, loss)
        }
        let (one, l1) = gradients(threads: 1), (two, l2) = gradients(threads: 2)
        #expect(l1 == l2)
        #expect(one == two, "gradients and the updated parameters must not depend on the thread count")
    }

    /// Cutting the batch into shards (each its own forward pass and activation gradients, then the
    /// parameter sums shard after shard) must give one pass's loss and gradients to the bit, for
    /// uneven shards too (5 rows in 2 or 3), with one thread or two, for every position encoding.
    @Test(arguments: PositionalEncoding.allCases)
    func shardsDoNotChangeTheGradients(_ positional: PositionalEncoding) {
        let config = GPTConfig(vocabSize: 64, contextLength: 16, layers: 2, heads: 2, width: 32, positional: positional)
        var rng = SplitMix64(seed: 8)
        let inputs = (0..<80).map { _ in rng.nextInt(below: 64) }, targets = (0..<80).map { _ in rng.nextInt(below: 64) }
        func run(shards: Int, threads: Int) -> (loss: Float, firstRows: Float, grads: [Float]) {
            let saved = kernelThreads
            kernelThreads = threads
            defer { kernelThreads = saved }
            let model = GPT(config: config, seed: 21)
            let ws = TrainingWorkspace(model: model, batchSize: 5, sequenceLength: 16, shards: shards)
            ws.load(inputs: inputs, targets: targets)
            let loss = model.forward(ws)
            model.backward(ws)
            return (loss, ws.meanLoss(rows: 3), ws.gradients)
        }
        let one = run(shards: 1, threads: 1)
        #expect(one.grads.contains { $0 != 0 })
        for (shards, threads) in [(2, 1), (2, 2), (3, 2), (5, 2)] {
            let other = run(shards: shards, threads: threads)
            #expect(other.loss == one.loss && other.firstRows == one.firstRows, "\(shards) shards, \(threads) threads")
            let differing = zip(other.grads, one.grads).filter { $0.0.bitPattern != $0.1.bitPattern }.count
            #expect(other.grads.count == one.grads.count && differing == 0, "\(shards) shards, \(threads) threads: \(differing) gradients differ")
        }
    }

    /// Every tile of `gemm` (AVX-512 8×32 on packed panels where the CPU has it, AVX2 6×16, the
    /// one-row tiles and their column tails) must compute each element as init, then fma over k = 0, 1, …: exactly the
    /// plain scalar loop, whatever the tile, the thread count or the instruction set.
    @Test func gemmGivesTheBitsOfThePlainLoop() {
        let savedThreads = kernelThreads, savedWide = gemmUsesAVX512
        defer { kernelThreads = savedThreads; gemmUsesAVX512 = savedWide }
        var rng = SplitMix64(seed: 11)
        var paths = [(1, false), (2, false)]
        if cpuHasAVX512 { paths += [(1, true), (2, true)] }
        // From 128 rows a chunk the AVX-512 path packs B, past 256 k's in several depth blocks
        // (600: two whole, one part); 300 and 267 rows make two chunks, 267 leaves a row tail.
        for (M, N, K) in [(1, 3, 7), (5, 8, 1), (6, 16, 64), (8, 32, 64), (13, 33, 9), (17, 72, 64), (70, 96, 64), (9, 200, 40),
                          (40, 64, 600), (300, 64, 600), (267, 96, 257)] {
            for transA in [false, true] {
                for mode in 0..<3 {   // 0: from zero, 1: bias, 2: accumulate into C
                    let a = (0..<(M * K)).map { _ in Float(rng.nextNormal()) }
                    let b = (0..<(K * N)).map { _ in Float(rng.nextNormal()) }
                    let bias = (0..<N).map { _ in Float(rng.nextNormal()) }
                    let c0 = (0..<(M * N)).map { _ in Float(rng.nextNormal()) }
                    let sam = transA ? 1 : K, sak = transA ? M : 1
                    var expected = [Float](repeating: 0, count: M * N)
                    for m in 0..<M {
                        for n in 0..<N {
                            var c: Float = mode == 2 ? c0[m * N + n] : mode == 1 ? bias[n] : 0
                            for k in 0..<K { c = c.addingProduct(a[m * sam + k * sak], b[k * N + n]) }
                            expected[m * N + n] = c
                        }
                    }
                    for (threads, wide) in paths {
                        kernelThreads = threads
                        gemmUsesAVX512 = wide
                        var c = mode == 2 ? c0 : [Float](repeating: .nan, count: M * N)
                        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in bias.withUnsafeBufferPointer { bias in
                            c.withUnsafeMutableBufferPointer { c in
                                gemm(M: M, N: N, K: K, a: a.baseAddress!, sam: sam, sak: sak, b: b.baseAddress!, ldb: N,
                                     c: c.baseAddress!, ldc: N, bias: mode == 1 ? bias.baseAddress! : nil, accumulate: mode == 2)
                            } } } }
                        #expect(c == expected, "M=\(M) N=\(N) K=\(K) transA=\(transA) mode=\(mode) threads=\(threads) avx512=\(wide)")
                    }
                }
            }
        }
    }

    static func tinyTrainConfig(corpus: String) -> TrainConfig {
        TrainConfig(model: GPTConfig(vocabSize: 300, contextLength: 16, layers: 1, heads: 2, width: 16),
                    corpus: corpus, steps: 30, batchSize: 4, learningRate: 1e-2, minLearningRate: 1e-3,
                    warmupSteps: 5, weightDecay: 0.1, beta1: 0.9, beta2: 0.95, gradClip: 1, seed: 7,
                    valFraction: 0.2, evalInterval: 10, evalBatches: 2)
    }

    static func tinyCorpus() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gptx-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var text = ""
        for i in 0..<40 { text += "我今天很\(["开心", "忙", "累", "幸福"][i % 4])。我爱机器学习。\n<|endoftext|>\n" }
        try text.write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func trainingTwiceGivesTheSameBytesAndTheLossFalls() throws {
        let corpus = try Self.tinyCorpus()
        let config = Self.tinyTrainConfig(corpus: corpus.path)
        var outputs: [URL] = []
        for run in 0..<2 {
            let out = corpus.appendingPathComponent("out\(run)")
            _ = try Trainer.run(config: config, configDirectory: corpus, output: out)
            outputs.append(out)
        }
        for name in ["model.safetensors", "tokenizer.json", "train-log.jsonl"] {
            let a = try Data(contentsOf: outputs[0].appendingPathComponent(name))
            let b = try Data(contentsOf: outputs[1].appendingPathComponent(name))
            #expect(a == b, "\(name) differs between two identical runs")
        }
        let log = try TrainLog.load(from: outputs[0].appendingPathComponent("train-log.jsonl"))
        #expect(log.count == 30)
        #expect(log.map(\.step) == Array(1...30))
        #expect(log.last!.trainLoss < log.first!.trainLoss - 1, "loss \(log.first!.trainLoss) → \(log.last!.trainLoss)")
        #expect(log.filter { $0.valLoss != nil }.map(\.step) == [1, 10, 20, 30])
        let bundle = try ModelBundle.load(directory: outputs[0])
        #expect(bundle.trainLog == log)
        #expect(bundle.model.config.contextLength == 16)
        // A different seed gives a different model.
        var other = config
        other.seed = 8
        let out = corpus.appendingPathComponent("seed8")
        _ = try Trainer.run(config: other, configDirectory: corpus, output: out)
        #expect(try Data(contentsOf: out.appendingPathComponent("model.safetensors")) != Data(contentsOf: outputs[0].appendingPathComponent("model.safetensors")))
    }

    /// All three position schemes train end to end, save without (or with) wpe, and load back.
    @Test(arguments: [PositionalEncoding.sinusoidal, .rope])
    func otherPositionalEncodingsTrainAndLoad(_ positional: PositionalEncoding) throws {
        let corpus = try Self.tinyCorpus()
        var config = Self.tinyTrainConfig(corpus: corpus.path)
        config.model.positional = positional
        let out = corpus.appendingPathComponent(positional.rawValue)
        _ = try Trainer.run(config: config, configDirectory: corpus, output: out)
        let bundle = try ModelBundle.load(directory: out)
        #expect(bundle.model.config.positional == positional)
        #expect(bundle.model.tensor("wpe.weight") == nil)
        #expect(bundle.trainLog.last!.trainLoss < bundle.trainLog.first!.trainLoss - 1)
    }

    /// `snapshot_steps` keeps the weights as they were after exactly those steps (0: the seeded
    /// initialisation), as ordinary checkpoints beside the model; a later run without them removes them.
    @Test func snapshotsAreTheWeightsAfterThoseSteps() throws {
        let corpus = try Self.tinyCorpus()
        var config = Self.tinyTrainConfig(corpus: corpus.path)
        config.snapshotSteps = [0, 10, 20]
        let out = corpus.appendingPathComponent("snap")
        _ = try Trainer.run(config: config, configDirectory: corpus, output: out)
        #expect(Snapshots.list(model: out) == [0, 10, 20])
        let bundle = try ModelBundle.load(directory: out)
        // Step 0 is the initialisation GPT(config, seed) makes.
        let initial = GPT(config: bundle.model.config, seed: config.seed)
        #expect(try Snapshots.load(step: 0, model: out, like: bundle.model.config).parameters == initial.parameters)
        // Steps 10 and 20: the same training loop, stopped and copied there by hand.
        let data = try Trainer.prepare(config: config, configDirectory: corpus)
        var copies: [Int: [Float]] = [:]
        _ = Trainer.optimize(initial, train: data.train, validation: data.validation, config: config, stepped: { done in
            if done == 10 || done == 20 { copies[done] = initial.parameters }
        })
        for step in [10, 20] {
            #expect(try Snapshots.load(step: step, model: out, like: bundle.model.config).parameters == copies[step], "step \(step)")
        }
        #expect(copies[20] != copies[10] && copies[20] != bundle.model.parameters)
        // The views end with the model itself, at the log's last step.
        let views = try TrainingSnapshots.views(bundle: bundle, prompt: bundle.tokenizer.encode("我今天很"), layer: 0, head: 1, continuation: 3)
        #expect(views.map(\.step) == [0, 10, 20, 30])
        let final = bundle.model.forward(bundle.tokenizer.encode("我今天很")).logits
        #expect(views.last!.probabilities == Sampler.softmax(Array(final.row(final.shape[0] - 1))))
        for v in views { for (q, row) in v.pattern.enumerated() { #expect(abs(row.reduce(0, +) - 1) < 1e-5 && row[(q + 1)...].allSatisfy { $0 == 0 }) } }
        // Retraining without snapshots leaves none behind.
        config.snapshotSteps = nil
        _ = try Trainer.run(config: config, configDirectory: corpus, output: out)
        #expect(Snapshots.list(model: out).isEmpty)
        #expect(throws: UserError.self) { _ = try TrainingSnapshots.views(bundle: try ModelBundle.load(directory: out), prompt: [1], layer: 0, head: 0, continuation: 1) }
    }

    @Test func snapshotStepsMustIncreaseInsideTheRun() {
        var config = Self.tinyTrainConfig(corpus: "x")
        for bad in [[10, 5], [30], [-1], [3, 3]] {
            config.snapshotSteps = bad
            #expect(throws: UserError.self, "\(bad)") { try config.validate() }
        }
        config.snapshotSteps = [0, 29]
        #expect(throws: Never.self) { try config.validate() }
    }

    /// A repeated row: `<|endoftext|>`, n distinct pool tokens, then the same n again and again.
    @Test func repeatedRowsAreDistinctRandomTokensRepeated() {
        let pool = Array(1..<300)
        var rng = SplitMix64(seed: 5)
        var periods = Set<Int>()
        for _ in 0..<200 {
            let row = RepeatedSequence.row(length: 65, pool: pool, rng: &rng)
            #expect(row.count == 65 && row[0] == Tokenizer.endOfTextID)
            // The period: the first position where a token comes back.
            let body = Array(row.dropFirst())
            let n = (1..<body.count).first { body[$0] == body[0] } ?? body.count
            #expect(n >= 4 && n <= 32, "period \(n)")
            #expect(Set(body.prefix(n)).count == n, "the first n tokens are distinct")
            #expect(body.prefix(n).allSatisfy(Set(pool).contains))
            for i in n..<body.count { #expect(body[i] == body[i - n]) }
            periods.insert(n)
        }
        #expect(periods.count > 20, "n is drawn per row")
        var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9)
        #expect(RepeatedSequence.row(length: 40, pool: pool, rng: &a) == RepeatedSequence.row(length: 40, pool: pool, rng: &b))
    }

    /// With `repeat_fraction`, the last rows of every batch are repeated rows and the log keeps the
    /// loss of the corpus rows beside the loss of all rows; `meanLoss` over every row is the
    /// forward pass's own number, and over the first row the loss of that row trained alone.
    @Test func mixedBatchesLogTheLossOfTheirCorpusRows() throws {
        let corpus = try Self.tinyCorpus()
        var config = Self.tinyTrainConfig(corpus: corpus.path)
        config.repeatFraction = 0.5
        let out = corpus.appendingPathComponent("mixed")
        _ = try Trainer.run(config: config, configDirectory: corpus, output: out)
        let log = try TrainLog.load(from: out.appendingPathComponent("train-log.jsonl"))
        #expect(log.allSatisfy { $0.textLoss != nil })
        #expect(log.last!.corpusLoss == log.last!.textLoss!)
        // Repeated random tokens are harder than the little corpus: the text rows lose less.
        #expect(log.suffix(10).allSatisfy { $0.textLoss! < $0.trainLoss })
        // Without the key, no text loss and the same bytes as before the key existed.
        let plain = corpus.appendingPathComponent("plain")
        _ = try Trainer.run(config: Self.tinyTrainConfig(corpus: corpus.path), configDirectory: corpus, output: plain)
        #expect(try TrainLog.load(from: plain.appendingPathComponent("train-log.jsonl")).allSatisfy { $0.textLoss == nil })
        #expect(try Data(contentsOf: plain.appendingPathComponent("model.safetensors")) != Data(contentsOf: out.appendingPathComponent("model.safetensors")))

        let model = GPT(config: GPTConfig(vocabSize: 20, contextLength: 4, layers: 1, heads: 1, width: 8), seed: 3)
        let ws = TrainingWorkspace(model: model, batchSize: 3, sequenceLength: 4)
        ws.load(inputs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], targets: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
        let all = model.forward(ws)
        #expect(ws.meanLoss(rows: 3) == all)
        let firstRow = ws.meanLoss(rows: 1)
        let one = TrainingWorkspace(model: model, batchSize: 1, sequenceLength: 4)
        one.load(inputs: [1, 2, 3, 4], targets: [2, 3, 4, 5])
        #expect(abs(model.forward(one) - firstRow) < 1e-5)

        config.repeatFraction = 1
        #expect(throws: UserError.self) { try config.validate() }
    }

    /// What the corpus writes after a prompt, counted as the model reads it, equals a plain count
    /// of the text: 40 documents cycle through four words.
    @Test func corpusContinuationsAreCountedInTokens() throws {
        let docs = try Corpus.load(directory: try Self.tinyCorpus())
        let tokenizer = Tokenizer.train(documents: docs, vocabSize: 300)
        let counts = Corpus.nextTokenCounts(after: "我今天很", documents: docs, tokenizer: tokenizer)
        var byText: [String: Int] = [:]
        for (id, n) in counts { byText[tokenizer.decode([id]), default: 0] += n }
        for word in ["开心", "忙", "累", "幸福"] {
            let plain = docs.filter { $0.contains("我今天很" + word) }.count
            #expect(plain == 10)
            // The counted token is the word or its first piece.
            #expect(byText.filter { word.hasPrefix($0.key) }.values.reduce(0, +) == plain, "\(word): \(byText)")
        }
        #expect(counts.values.reduce(0, +) == 40)
        let c = SnapshotCandidates(counts: counts, final: [], k: 2)
        #expect(c.ids.count == 2 && c.shares!.allSatisfy { abs($0 - 0.25) < 1e-12 } && c.occurrences == 40)
        #expect(SnapshotCandidates(counts: [:], final: [0.1, 0.7, 0.2], k: 2) == SnapshotCandidates(ids: [1, 2], shares: nil, occurrences: 0))
    }

    @Test func badTrainingInputsAreOneLineErrors() throws {
        let corpus = try Self.tinyCorpus()
        var config = Self.tinyTrainConfig(corpus: corpus.path)
        config.model.heads = 0
        #expect(throws: UserError("n_head 0 is out of range: allowed 1...64")) { try config.validate() }
        config.model.heads = 3
        #expect(throws: UserError("n_embd 16 is not divisible by n_head 3: each head needs an equal share")) { try config.validate() }
        config = Self.tinyTrainConfig(corpus: corpus.path)
        let file = corpus.appendingPathComponent("a.txt")
        do {
            _ = try Trainer.run(config: config, configDirectory: corpus, output: file.appendingPathComponent("x"))
            Issue.record("training into a path under a file must fail")
        } catch {
            #expect(error.message.contains("cannot create the output directory"))
        }
        let bad = corpus.appendingPathComponent("bad.json")
        try Data("{\"model\": {}}".utf8).write(to: bad)
        #expect(throws: UserError("\(bad.path): training config is not valid: missing key vocab_size")) { try TrainConfig.load(from: bad) }
    }

    @Test func promptChecks() throws {
        let corpus = try Self.tinyCorpus()
        let out = corpus.appendingPathComponent("m")
        _ = try Trainer.run(config: Self.tinyTrainConfig(corpus: corpus.path), configDirectory: corpus, output: out)
        let bundle = try ModelBundle.load(directory: out)
        #expect(throws: UserError("the prompt is empty: give at least one character")) { try bundle.promptIDs("") }
        let long = String(repeating: "我爱机器学习", count: 20)
        #expect(throws: UserError.self) { try bundle.promptIDs(long) }
        #expect(try bundle.promptIDs("我今天很").count >= 1)
    }

    /// The effective config goes into the model folder, its corpus path resolving from there:
    /// relative when model and corpus share a folder, absolute otherwise; the same bytes twice.
    @Test func theModelFolderKeepsTheEffectiveConfig() throws {
        let corpus = try Self.tinyCorpus()
        let config = Self.tinyTrainConfig(corpus: corpus.path)
        let out = corpus.deletingLastPathComponent().appendingPathComponent("model-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try Trainer.run(config: config, configDirectory: URL(fileURLWithPath: "/nonexistent"), output: out)
        let file = out.appendingPathComponent(TrainConfig.modelFileName)
        #expect(TrainConfig.file(forModel: out, fallback: URL(fileURLWithPath: "/x")) == file)
        let saved = try TrainConfig.load(from: file)
        #expect(saved.corpus == "../" + corpus.lastPathComponent)
        #expect(saved.corpusURL(configDirectory: out).path == corpus.standardizedFileURL.path)
        var same = saved
        same.corpus = config.corpus
        #expect(same == config)
        #expect(try Data(contentsOf: file) == config.modelFolderCopy(configDirectory: corpus, model: out))
        #expect(TrainConfig.path(of: URL(fileURLWithPath: "/a/b/c"), from: URL(fileURLWithPath: "/a/d")) == "../b/c")
        #expect(TrainConfig.path(of: URL(fileURLWithPath: "/a/b"), from: URL(fileURLWithPath: "/a/b")) == ".")
        #expect(TrainConfig.path(of: URL(fileURLWithPath: "/a/b"), from: URL(fileURLWithPath: "/c/d")) == "/a/b")
    }

    /// The shipped model's `train-config.json` is what `gptx train` on the shipped config writes, byte for byte.
    @Test func theShippedModelConfigIsWhatTrainWrites() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lessons = root.appendingPathComponent("lessons"), model = lessons.appendingPathComponent("model")
        let config = try TrainConfig.load(from: lessons.appendingPathComponent("train-config.json"))
        let shipped = try Data(contentsOf: model.appendingPathComponent(TrainConfig.modelFileName))
        #expect(shipped == config.modelFolderCopy(configDirectory: lessons, model: model),
                "lessons/model/train-config.json differs from what gptx train writes for lessons/train-config.json")
        #expect(try Checkpoint.load(from: model.appendingPathComponent("model.safetensors")).config.contextLength == config.model.contextLength)
    }

    /// A corpus that cannot be trained on fails before the output folder exists.
    @Test func aBadCorpusLeavesNoOutputFolder() throws {
        let corpus = try Self.tinyCorpus()
        try "太短。".write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let out = corpus.appendingPathComponent("never")
        #expect(throws: UserError.self) {
            try Trainer.run(config: Self.tinyTrainConfig(corpus: corpus.path), configDirectory: corpus, output: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
