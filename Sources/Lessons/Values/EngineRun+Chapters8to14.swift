import Foundation
import TinyGPT

extension EngineRun {
    /// The batch of chapter 8: 4 validation windows of 16 positions (17 tokens: inputs and shifted targets).
    static let lossBatch = (sequences: 4, length: 16, shown: 8)

    /// Ch. 8: the loss of a real batch, parallel vs one-at-a-time logits, the optimiser's settings.
    func chapter8(_ c: ChapterView) throws(UserError) -> Chapter8Values {
        let s = try c.scenario("prompt")
        let ids = try probe.ids(s, what: c.what)
        let model = bundle.model
        let (B, T) = (Self.lossBatch.sequences, Self.lossBatch.length)
        let windows = training.validationWindows(count: B, length: T + 1)
        guard windows.count == B else { throw c.fail("the validation text is too short for a batch of \(B)×\(T)") }
        // The mean loss as training computes it: the training workspace and the cross-entropy kernel.
        let ws = TrainingWorkspace(model: model, batchSize: B, sequenceLength: T)
        ws.load(inputs: windows.flatMap { $0.prefix(T) }, targets: windows.flatMap { $0.dropFirst() })
        let meanLoss = Double(model.forward(ws))
        let first = windows[0]
        let logits = model.forward(Array(first.prefix(T))).logits
        let probs = (0..<T).map { t in Sampler.softmax(Array(logits.row(t)))[first[t + 1]] }
        let firstMean = probs.map { -Foundation.log($0) }.reduce(0, +) / Double(T)
        let positions = (0..<min(T, Self.lossBatch.shown)).map { t -> Chapter8Values.Position in
            .init(position: t, target: probe.show(first[t + 1]), prob: Format.prob(probs[t]), loss: Format.fixed(-Foundation.log(probs[t])))
        }
        // One pass over the whole prompt against the key/value cache fed one token at a time.
        let parallel = model.forward(ids).logits
        var cache = KVCache(model: model)
        var maxDiff: Float = 0
        for (t, id) in ids.enumerated() {
            let row = cache.append(id)
            for v in row.indices { maxDiff = max(maxDiff, abs(row[v] - parallel.data[t * row.count + v])) }
        }
        let log = bundle.trainLog
        guard !log.isEmpty else { throw c.fail("the model folder has no train-log.jsonl") }
        return Chapter8Values(sequences: B, length: T, positions: positions, meanLoss: Format.fixed(meanLoss), firstMean: Format.fixed(firstMean),
                              parallelMaxDiff: maxDiff == 0 ? "0" : Format.scientific(Double(maxDiff)),
                              peakLR: Format.fixed(Double(log.map(\.learningRate).max()!), 4), clip: Format.fixed(Double(training.config.gradClip), 1),
                              clippedShare: Format.percent(Double(log.filter(\.clipped).count) / Double(log.count)), steps: log.count)
    }

    /// Ch. 9: visible (query, key) pairs under the causal and bidirectional masks.
    func chapter9(_ c: ChapterView) throws(UserError) -> Chapter9Values {
        let n = try c.int("masks", "length", 6)
        guard n >= 1 else { throw c.fail("figure \"masks\": length \(n) is out of range: allowed ≥ 1") }
        let causal = n * (n + 1) / 2
        return Chapter9Values(length: n, causalVisible: causal, bidirectionalVisible: n * n, causalShare: Format.percent(Double(causal) / Double(n * n)))
    }

    /// Ch. 10: scaling experiment, schedule, clipping, FP16/BF16 rounding of the real weights, SFT.
    /// Without `experiments/scaling.json` (or with no points in it) the scaling values are empty
    /// and the lesson gives the command instead.
    func chapter10(_ c: ChapterView, sft: Chapter2Values.FineTune?) throws(UserError) -> Chapter10Values {
        let scaling = experiments.scaling.flatMap { $0.points.isEmpty ? nil : $0 }
        let points = (scaling?.points ?? []).sorted { $0.parameters < $1.parameters }.map {
            Chapter10Values.ScalePoint(name: "L\($0.layers)·H\($0.heads)·C\($0.width)", parameters: Format.grouped($0.parameters),
                                       loss: Format.fixed(Double($0.valLoss)))
        }
        let log = bundle.trainLog
        guard let last = log.last else { throw c.fail("the model folder has no train-log.jsonl") }
        let norms = log.map(\.gradNorm).sorted()
        let median = norms.count % 2 == 1 ? Double(norms[norms.count / 2]) : (Double(norms[norms.count / 2 - 1]) + Double(norms[norms.count / 2])) / 2
        let weights = bundle.model.parameters
        let fp16 = Precision.errors(weights, Precision.fp16), bf16 = Precision.errors(weights, Precision.bf16)
        let tiny = weights.filter { $0 != 0 && abs($0) < Precision.fp16MinNormal }.count
        return Chapter10Values(scaling: points, scalingSlope: scaling.map { Format.fixed($0.slope) },
                               scalingCommand: experimentCommands.scaling, warmupSteps: training.config.warmupSteps,
                               totalSteps: log.count, peakLR: Format.fixed(Double(log.map(\.learningRate).max()!), 4),
                               finalLR: Format.fixed(Double(last.learningRate), 4), clip: Format.fixed(Double(training.config.gradClip), 1),
                               clippedSteps: log.filter(\.clipped).count, medianGradNorm: Format.fixed(median),
                               fp16MaxError: Format.scientific(fp16.max), fp16MeanError: Format.scientific(fp16.mean),
                               bf16MaxError: Format.scientific(bf16.max), bf16MeanError: Format.scientific(bf16.mean),
                               weightCount: Format.grouped(weights.count), fp16Subnormal: Format.grouped(tiny), sft: sft,
                               sftCommand: experimentCommands.fineTune)
    }

    /// Ch. 11: a story and a function, continued greedily.
    func chapter11(_ c: ChapterView) throws(UserError) -> Chapter11Values {
        let story = try c.scenario("story"), code = try c.scenario("code")
        return Chapter11Values(story: probe.continuation(story, try probe.generate(story, what: c.what)),
                               code: probe.continuation(code, try probe.generate(code, what: c.what), language: "python"))
    }

    /// Ch. 12: a greedy loop (if any), the context limit on a real held-out document, an unsupported "fact".
    func chapter12(_ c: ChapterView) throws(UserError) -> Chapter12Values {
        let rs = try c.scenario("repeat"), fs = try c.scenario("fact")
        let greedy = try probe.generate(rs, what: c.what, stopAtEnd: false)
        let text = probe.continuation(rs, greedy)
        let loop = RepeatedSpan.find(prompt: greedy.promptIDs, output: greedy.ids).map { r in
            var loop = Chapter12Values.Loop(text: text, span: Format.code(bundle.tokenizer.decode(r.span)), period: r.span.count,
                                            repeats: r.starts.count, backToBack: r.backToBack)
            if r.backToBack, let document = Self.loopedDocument(r.span, endOfText: probe.eot).map(bundle.tokenizer.decode) {
                loop.document = Format.code(document)
                loop.documentCount = training.documents.filter { $0.trimmingCharacters(in: .whitespacesAndNewlines) == document }.count
                loop.recites = loop.documentCount > 1
            }
            return loop
        }
        let T = bundle.model.config.contextLength
        let longest = training.longestValidationDocument(endOfText: probe.eot).count
        let fact = try probe.generate(fs, what: c.what)
        var values = Chapter12Values(greedyText: text, loop: loop, contextLength: T, longPromptTokens: longest, droppedTokens: max(0, longest - T),
                                     hallucination: probe.continuation(fs, fact),
                                     factPrompt: Format.code(fs.prompt),
                                     factOccurrences: training.documents.reduce(0) { $0 + $1.components(separatedBy: fs.prompt).count - 1 })
        let output = fact.ids.last == probe.eot ? Array(fact.ids.dropLast()) : fact.ids
        if let copy = Self.longestCopy(in: output, from: fact.promptIDs, whole: { !bundle.tokenizer.decode($0).contains("\u{FFFD}") }) {
            values.factCopy = Format.code(bundle.tokenizer.decode(copy.span))
            values.factCopyCount = copy.count
            values.factCopyOnce = copy.count == 1
        }
        values.factCut = bundle.tokenizer.decode(output).hasSuffix("\u{FFFD}")
        values.search = rs.searched.map {
            Chapter12Values.Search(tried: $0.tried, looping: $0.looping, givenPrompt: Format.code($0.givenPrompt), keptGiven: rs.prompt == $0.givenPrompt)
        }
        return values
    }

    /// The document one round of a loop writes, when the loop's span holds exactly one
    /// `<|endoftext|>`: the span turned to start after it, without it.
    ///
    ///     loopedDocument([7, 0, 5, 6], endOfText: 0)   // [5, 6, 7]
    static func loopedDocument(_ span: [Int], endOfText: Int) -> [Int]? {
        guard span.filter({ $0 == endOfText }).count == 1, let e = span.firstIndex(of: endOfText) else { return nil }
        let document = Array(span[(e + 1)...] + span[..<e])
        return document.isEmpty ? nil : document
    }

    /// The longest run of at least 2 tokens of `output` that also stands in `prompt` and is `whole`
    /// (decodes to whole characters; the earliest of equal length), and how many times it occurs in
    /// `output` without overlapping.
    static func longestCopy(in output: [Int], from prompt: [Int], whole: ([Int]) -> Bool = { _ in true }) -> (span: [Int], count: Int)? {
        func occurs(_ s: ArraySlice<Int>, in a: [Int]) -> Bool {
            a.count >= s.count && (0...(a.count - s.count)).contains { a[$0..<($0 + s.count)].elementsEqual(s) }
        }
        var best: ArraySlice<Int> = []
        for i in output.indices {
            var length = 2
            while i + length <= output.count, occurs(output[i..<(i + length)], in: prompt) {
                if length > best.count, whole(Array(output[i..<(i + length)])) { best = output[i..<(i + length)] }
                length += 1
            }
        }
        guard best.count >= 2 else { return nil }
        var count = 0, i = 0
        while i + best.count <= output.count {
            if output[i..<(i + best.count)].elementsEqual(best) { count += 1; i += best.count } else { i += 1 }
        }
        return (Array(best), count)
    }

    /// Ch. 13: GPT-3's published 175 billion parameters against ours.
    func chapter13() -> Chapter13Values {
        Chapter13Values(gpt3Ratio: Format.grouped(Int((175e9 / Double(bundle.model.layout.count)).rounded())))
    }

    /// Ch. 14: the pipeline on one prompt, ending in the greedy choice.
    func chapter14(_ c: ChapterView) throws(UserError) -> Chapter14Values {
        let s = try c.scenario("prompt")
        let ids = try probe.ids(s, what: c.what)
        return Chapter14Values(prompt: Format.code(s.prompt), tokens: ids.count, chosen: probe.distribution(prompt: s.prompt, ids: ids, k: 1).top1)
    }
}

extension TrainingRecord {
    /// The longest held-out document (tokens between `<|endoftext|>`s): chapter 12's text counts it
    /// and its context figure draws it.
    public func longestValidationDocument(endOfText: Int) -> [Int] {
        validation.split(separator: endOfText).max { $0.count < $1.count }.map(Array.init) ?? []
    }
}
