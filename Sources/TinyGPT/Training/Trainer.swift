import Foundation

/// Where training is, for a progress display.
public struct TrainProgress: Sendable {
    public var step: Int            // 1-based, steps done
    public var steps: Int
    public var loss: Float
    public var valLoss: Float?
    public var learningRate: Float
    public var tokensPerSecond: Double
    public var elapsed: Double      // seconds
    public var eta: Double { tokensPerSecond > 0 ? elapsed / Double(step) * Double(steps - step) : 0 }
}

/// What a finished run produced (the model card's numbers).
public struct TrainSummary: Sendable {
    public var parameters: Int
    public var corpusBytes: Int
    public var documents: Int
    public var trainTokens: Int
    public var valTokens: Int
    public var steps: Int
    public var finalTrainLoss: Float
    public var finalValLoss: Float
    public var seconds: Double
}

/// A corpus made ready for training: its documents, the tokenizer trained on them, and the
/// `<|endoftext|>`-separated train and validation token streams.
public struct TrainingData: Sendable {
    public var documents: [String]
    public var tokenizer: Tokenizer
    public var train: [Int]
    public var validation: [Int]

    public init(documents: [String], tokenizer: Tokenizer, train: [Int], validation: [Int]) {
        self.documents = documents
        self.tokenizer = tokenizer
        self.train = train
        self.validation = validation
    }

    /// The documents split as `gptx train` splits them with `config` (a trained model's tokenizer).
    public init(documents: [String], tokenizer: Tokenizer, config: TrainConfig) {
        let split = Trainer.split(documents: documents, tokenizer: tokenizer, valFraction: config.valFraction, seed: config.seed)
        self.init(documents: documents, tokenizer: tokenizer, train: split.train, validation: split.val)
    }
}

/// The synthetic rows `repeat_fraction` mixes into training batches.
public enum RepeatedSequence {
    /// `<|endoftext|>`, then n distinct tokens drawn from `pool` (n uniform in 4...(length − 1) / 2),
    /// repeated until the row holds `length` tokens.
    public static func row(length: Int, pool: [Int], rng: inout SplitMix64) -> [Int] {
        let most = min((length - 1) / 2, pool.count)
        let n = most <= 4 ? most : 4 + rng.nextInt(below: most - 3)
        let tokens = rng.distinct(n, from: pool)
        var row = [Tokenizer.endOfTextID]
        row.reserveCapacity(length)
        while row.count < length { row.append(tokens[(row.count - 1) % n]) }
        return row
    }
}

/// Trains the tokenizer and then the model on a corpus: next-token cross-entropy, AdamW, global-norm
/// clipping, warm-up + cosine schedule, seeded initialisation and batches, a held-out set of
/// documents for the validation loss. Same config and seed → same checkpoint bytes.
public enum Trainer {
    /// The token streams: documents split into train and validation by a seeded shuffle, each
    /// stream `<|endoftext|>`-separated (one at the start too, so every document has a left edge).
    public static func split(documents: [String], tokenizer: Tokenizer, valFraction: Double, seed: UInt64) -> (train: [Int], val: [Int]) {
        var order = Array(documents.indices)
        var rng = SplitMix64(seed: seed ^ 0x5EED_DA7A)
        order.shuffle(using: &rng)
        let nVal = max(1, Int((Double(documents.count) * valFraction).rounded()))
        let val = order.prefix(nVal).sorted().map { documents[$0] }
        let train = order.dropFirst(nVal).sorted().map { documents[$0] }
        let eot = tokenizer.endOfTextID
        return ([eot] + tokenizer.encode(documents: train), [eot] + tokenizer.encode(documents: val))
    }

    /// Runs training and writes `tokenizer.json`, `train-log.jsonl`, `train-config.json` (the
    /// effective config, its corpus path resolving from `output`), the snapshots and, last,
    /// `model.safetensors` into `output` (each atomically). A corpus that cannot be trained on is
    /// an error before `output` is created or touched.
    public static func run(config: TrainConfig, configDirectory: URL, output: URL,
                           progress: (TrainProgress) -> Void = { _ in }) throws(UserError) -> TrainSummary {
        try config.validate()
        let data = try prepare(config: config, configDirectory: configDirectory)
        try prepareOutput(output)
        var modelConfig = config.model
        modelConfig.vocabSize = data.tokenizer.vocabSize
        let model = GPT(config: modelConfig, seed: config.seed)
        let start = Date()
        let wanted = Set(config.snapshotSteps ?? [])
        var snapshots: [(step: Int, parameters: [Float])] = []
        let log = optimize(model, train: data.train, validation: data.validation, config: config, progress: progress) { done in
            if wanted.contains(done) { snapshots.append((done, model.parameters)) }
        }
        let seconds = Date().timeIntervalSince(start)

        try data.tokenizer.write(to: output.appendingPathComponent("tokenizer.json"))
        try AtomicFile.write(TrainLog.encode(log), to: output.appendingPathComponent("train-log.jsonl"))
        try AtomicFile.write(config.modelFolderCopy(configDirectory: configDirectory, model: output),
                             to: output.appendingPathComponent(TrainConfig.modelFileName))
        try Snapshots.write(snapshots, config: modelConfig, model: output)
        try Checkpoint.save(config: modelConfig, parameters: model.parameters, to: output.appendingPathComponent("model.safetensors"))

        let final = finalLosses(log, evalInterval: config.evalInterval)
        return TrainSummary(parameters: model.layout.count,
                            corpusBytes: data.documents.reduce(0) { $0 + $1.utf8.count }, documents: data.documents.count,
                            trainTokens: data.train.count, valTokens: data.validation.count, steps: config.steps,
                            finalTrainLoss: final.train, finalValLoss: final.validation, seconds: seconds)
    }

    /// Reads the config's corpus, trains the tokenizer on it (`config.model.vocabSize`) and splits
    /// the documents into train and validation streams long enough for `config.model.contextLength`.
    public static func prepare(config: TrainConfig, configDirectory: URL) throws(UserError) -> TrainingData {
        let corpusURL = config.corpusURL(configDirectory: configDirectory)
        let documents = try Corpus.load(directory: corpusURL)
        let tokenizer = Tokenizer.train(documents: documents, vocabSize: config.model.vocabSize)
        let (trainStream, valStream) = split(documents: documents, tokenizer: tokenizer, valFraction: config.valFraction, seed: config.seed)
        let T = config.model.contextLength
        guard trainStream.count > T + 1, valStream.count > T + 1 else {
            throw UserError("\(corpusURL.path): corpus too small: the train and validation streams need more than \(T + 1) tokens each (have \(trainStream.count) and \(valStream.count)): add text (the validation share val_fraction \(config.valFraction) of the \(documents.count) documents needs \(T + 2) tokens or more) or lower n_positions")
        }
        return TrainingData(documents: documents, tokenizer: tokenizer, train: trainStream, validation: valStream)
    }

    /// The one training loop: trains `model` in place on windows of `model.config.contextLength`
    /// tokens drawn from `train` (seeded by `config.seed`) and returns one log entry per step.
    ///
    /// It starts from whatever parameters `model` holds (a fresh initialisation for pre-training,
    /// a trained checkpoint for fine-tuning). Of `config` it uses only the optimisation settings
    /// (steps, batch size, schedule, AdamW, clipping, seed, evaluation); the model's shape is the
    /// model's own. With a `validation` stream, the mean loss over `config.evalBatches` fixed
    /// batches is measured at the first step, every `config.evalInterval` steps and the last step.
    /// Both streams must hold more than `contextLength + 1` tokens (a programming error otherwise).
    /// `stepped(n)` is called with the number of steps done, 0 before the first update and then after
    /// each (the place to copy the weights for a snapshot).
    public static func optimize(_ model: GPT, train trainStream: [Int], validation valStream: [Int]?, config: TrainConfig,
                                progress: (TrainProgress) -> Void = { _ in },
                                stepped: (Int) -> Void = { _ in }) -> [TrainLogEntry] {
        let T = model.config.contextLength, B = config.batchSize
        precondition(trainStream.count > T + 1 && (valStream?.count ?? .max) > T + 1, "token streams must hold more than T + 1 tokens")
        let ws = TrainingWorkspace(model: model, batchSize: B, sequenceLength: T)
        let optimizer = AdamW(layout: model.layout, beta1: config.beta1, beta2: config.beta2, weightDecay: config.weightDecay)
        let schedule = LearningRateSchedule(peak: config.learningRate, floor: config.minLearningRate,
                                            warmupSteps: config.warmupSteps, totalSteps: config.steps)
        var batchRNG = SplitMix64(seed: config.seed &+ 1)
        var valRNG = SplitMix64(seed: config.seed &+ 2)
        let valOffsets = valStream.map { val in (0..<(config.evalBatches * B)).map { _ in valRNG.nextInt(below: val.count - T - 1) } } ?? []
        var inputs = [Int](repeating: 0, count: B * T), targets = inputs

        /// Rows 0, 1, … of the batch from windows of `stream` at `offsets`.
        func place(_ stream: [Int], _ offsets: ArraySlice<Int>) {
            for (b, o) in offsets.enumerated() {
                for t in 0..<T {
                    inputs[b * T + t] = stream[o + t]
                    targets[b * T + t] = stream[o + t + 1]
                }
            }
        }
        func fill(_ stream: [Int], _ offsets: [Int]) {
            place(stream, offsets[...])
            ws.load(inputs: inputs, targets: targets)
        }
        func validationLoss(_ valStream: [Int]) -> Float {
            var total: Float = 0
            for i in 0..<config.evalBatches {
                fill(valStream, Array(valOffsets[(i * B)..<((i + 1) * B)]))
                total += model.forward(ws)
            }
            return total / Float(config.evalBatches)
        }

        var log: [TrainLogEntry] = []
        log.reserveCapacity(config.steps)
        let start = Date()
        var offsets = [Int](repeating: 0, count: B)
        let repeatRows = min(B, Int((Double(B) * (config.repeatFraction ?? 0)).rounded()))
        var repeatRNG = SplitMix64(seed: config.seed &+ 3)
        let pool = (0..<model.config.vocabSize).filter { $0 != Tokenizer.endOfTextID }
        stepped(0)
        for step in 0..<config.steps {
            // Every row draws its offset (the batch stream stays the same whatever repeat_fraction is);
            // the last `repeatRows` rows then hold repeated random tokens instead of that window.
            for b in 0..<B { offsets[b] = batchRNG.nextInt(below: trainStream.count - T - 1) }
            place(trainStream, offsets.prefix(B - repeatRows))
            for b in (B - repeatRows)..<B {
                let row = RepeatedSequence.row(length: T + 1, pool: pool, rng: &repeatRNG)
                for t in 0..<T { inputs[b * T + t] = row[t]; targets[b * T + t] = row[t + 1] }
            }
            ws.load(inputs: inputs, targets: targets)
            let loss = model.forward(ws)
            let textLoss: Float? = repeatRows > 0 && repeatRows < B ? ws.meanLoss(rows: B - repeatRows) : nil
            model.backward(ws)
            let lr = schedule.rate(at: step)
            let (norm, clipped) = optimizer.update(model, ws, lr: lr, clip: config.gradClip)
            let last = step == config.steps - 1
            let measure = (step + 1) % config.evalInterval == 0 || last || step == 0
            let val: Float? = measure ? valStream.map(validationLoss) : nil
            log.append(TrainLogEntry(step: step + 1, trainLoss: loss, valLoss: val, learningRate: lr, gradNorm: norm, clipped: clipped, textLoss: textLoss))
            let elapsed = Date().timeIntervalSince(start)
            progress(TrainProgress(step: step + 1, steps: config.steps, loss: loss, valLoss: val, learningRate: lr,
                                   tokensPerSecond: Double((step + 1) * B * T) / max(elapsed, 1e-9), elapsed: elapsed))
            stepped(step + 1)
        }
        return log
    }

    /// The model card's two numbers from a log: the mean training loss on corpus text
    /// (`corpusLoss`) over the last `evalInterval` steps and the last measured validation loss
    /// (NaN when none was measured).
    public static func finalLosses(_ log: [TrainLogEntry], evalInterval: Int) -> (train: Float, validation: Float) {
        let lastVal = log.last(where: { $0.valLoss != nil })?.valLoss ?? .nan
        let tail = log.suffix(max(1, evalInterval))
        return (tail.map(\.corpusLoss).reduce(0, +) / Float(max(1, tail.count)), lastVal)
    }

    /// Creates the output folder and proves it writable before minutes of training.
    public static func prepareOutput(_ output: URL) throws(UserError) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: output.path, isDirectory: &isDir), !isDir.boolValue {
            throw UserError("\(output.path): output path is a file, not a directory")
        }
        do { try fm.createDirectory(at: output, withIntermediateDirectories: true) } catch {
            throw UserError("\(output.path): cannot create the output directory")
        }
        let probe = output.appendingPathComponent(".gptx-write-test-\(getpid())")
        guard fm.createFile(atPath: probe.path, contents: Data()) else {
            throw UserError("\(output.path): output directory is not writable")
        }
        try? fm.removeItem(at: probe)
    }
}
