import Foundation
import TinyGPT

extension EngineRun {
    /// Ch. 1: the next-token distribution of scenario `next`.
    func chapter1(_ c: ChapterView) throws(UserError) -> Chapter1Values {
        let s = try c.scenario("next")
        return Chapter1Values(next: probe.distribution(prompt: s.prompt, ids: try probe.ids(s, what: c.what), k: try c.int("nextToken", "topK", 10)))
    }

    /// Ch. 2's fine-tuning run (also chapter 10's SFT), from `experiments/finetune.json`; nil when
    /// the experiment has not been run for this model (the lessons then give the command).
    func fineTune(_ c: ChapterView) throws(UserError) -> Chapter2Values.FineTune? {
        let file = ExperimentResults.directory(model: bundle.directory).appendingPathComponent("finetune.json").path
        guard let ft = experiments.fineTune else { return nil }
        let V = bundle.model.config.vocabSize
        guard ft.before.count == V, ft.after.count == V, !ft.promptIDs.isEmpty else {
            throw UserError("\(file): before/after must hold \(V) probabilities each and prompt_ids at least one id")
        }
        // The target: the token the fine-tuning documents put right after the prompt (most often).
        // (The documents are matched without the `<|endoftext|>` the prompt is read after.)
        let prompt = ft.promptIDs.first == probe.eot ? Array(ft.promptIDs.dropFirst()) : ft.promptIDs
        var counts: [Int: Int] = [:]
        for doc in ft.documents {
            let ids = bundle.tokenizer.encode(doc)
            if ids.count > prompt.count, Array(ids.prefix(prompt.count)) == prompt {
                counts[ids[prompt.count], default: 0] += 1
            }
        }
        let before = ft.before.map(Double.init), after = ft.after.map(Double.init)
        let target = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
            ?? ModelProbe.rankByProbability(zip(after, before).map { $0 - $1 })[0]
        let b1 = ModelProbe.rankByProbability(before)[0], a1 = ModelProbe.rankByProbability(after)[0]
        return Chapter2Values.FineTune(
            prompt: Format.code(ft.prompt), target: probe.show(target), steps: ft.steps, examples: ft.documents.count,
            before: Format.prob(before[target]), after: Format.prob(after[target]),
            beforeTop1: probe.tokenProb(rank: 1, id: b1, p: before[b1]), afterTop1: probe.tokenProb(rank: 1, id: a1, p: after[a1]),
            rose: after[target] > before[target], atDocumentStart: ft.promptIDs.first == probe.eot)
    }

    /// Ch. 2: a training window (as the trainer builds it: `<|endoftext|>` then the text), the loss curve, fine-tuning.
    func chapter2(_ c: ChapterView, sft: Chapter2Values.FineTune?) throws(UserError) -> Chapter2Values {
        let s = try c.scenario("window")
        let ids = [probe.eot] + (try probe.ids(s, what: c.what))
        let pairs = (0..<(ids.count - 1)).map { t in
            Chapter2Values.Pair(position: t, input: probe.show(ids[t]), target: probe.show(ids[t + 1]))
        }
        let log = bundle.trainLog
        guard let first = log.first, let last = log.last else { throw c.fail("the model folder has no train-log.jsonl") }
        var loss = Chapter2Values.Loss(steps: log.count, first: Format.fixed(Double(first.corpusLoss)), last: Format.fixed(Double(last.corpusLoss)),
                                       lastVal: log.last(where: { $0.valLoss != nil })?.valLoss.map { Format.fixed(Double($0)) },
                                       uniform: Format.fixed(log1p(Double(bundle.model.config.vocabSize) - 1)))
        loss.mixed = log.contains { $0.textLoss != nil }
        loss.mixedShare = Format.percent(training.config.repeatFraction ?? 0)
        return Chapter2Values(window: .init(text: Format.code(s.prompt), length: pairs.count, pairs: pairs), loss: loss, fineTune: sft,
                              fineTuneCommand: experimentCommands.fineTune, snapshots: try snapshots(c))
    }

    /// Ch. 2: the model at each snapshot after the `snapshots` prompt, against what the corpus writes
    /// there (the same `TrainingSnapshots` and `SnapshotCandidates` the snapshot figures draw).
    func snapshots(_ c: ChapterView) throws(UserError) -> Chapter2Values.Snapshots {
        let s = try c.scenario("snapshots")
        // Read as the start of a document (after `<|endoftext|>`), as chapter 4 reads the same prompt.
        let ids = (c.text("snapshots", "start") == "document" ? [probe.eot] : []) + (try probe.ids(s, what: c.what))
        let layer = try c.int("snapshots", "layer", 1), head = try c.int("snapshots", "head", 0), k = try c.int("snapshots", "topK", 4)
        let views = try TrainingSnapshots.views(bundle: bundle, prompt: ids, layer: layer, head: head, continuation: 12,
                                                windows: TrainingSnapshots.heldOutWindows(training.validation, contextLength: bundle.model.config.contextLength))
        let counts = Corpus.nextTokenCounts(after: s.prompt, documents: training.documents, tokenizer: bundle.tokenizer)
        let candidates = SnapshotCandidates(counts: counts, final: views.last!.probabilities, k: k)
        // A corpus that never continues the prompt (a teacher's own) has no split: the candidates are
        // the trained model's top tokens, and there is no distance to print.
        let shares = candidates.shares
        let total = Double(max(1, candidates.occurrences))
        let eot = bundle.tokenizer.endOfTextID
        let rows = views.map { v -> (Chapter2Values.Snapshot, Double) in
            let counted = counts.map { abs(v.probabilities[$0.key] - Double($0.value) / total) }.reduce(0, +)
            let elsewhere = 1 - counts.keys.map { v.probabilities[$0] }.reduce(0, +)
            let distance = (counted + elsewhere) / 2
            let text = bundle.tokenizer.decode(v.greedy.filter { $0 != eot })
            return (Chapter2Values.Snapshot(step: v.step, loss: v.loss.map { Format.fixed($0) } ?? "—",
                                            probs: candidates.ids.map { .init(Format.prob(v.probabilities[$0])) },
                                            distance: shares == nil ? "—" : Format.fixed(distance), text: Format.code(text.isEmpty ? "⏎" : text)),
                    shares == nil ? 0 : distance)
        }
        let closest = shares == nil ? rows.count - 1 : rows.indices.min { rows[$0].1 < rows[$1].1 || (rows[$0].1 == rows[$1].1 && $0 < $1) }!
        let lossFell = (views.last!.loss ?? 0) < (views[closest].loss ?? 0)
        let initial = views.first!.pattern
        let spread = initial.enumerated().map { q, row in row.prefix(q + 1).map { abs($0 - 1 / Double(q + 1)) }.max() ?? 0 }.max() ?? 0
        var snapshots = Chapter2Values.Snapshots(prompt: Format.code(s.prompt),
                                        split: candidates.ids.enumerated().map { i, id in
                                            .init(token: probe.show(id), share: shares.map { Format.percent($0[i]) } ?? "—") },
                                        occurrences: candidates.occurrences, rows: rows.map(\.0), closest: rows[closest].0, lossFell: lossFell,
                                        layer: layer, head: head, initialSpread: Format.fixed(spread), inCorpus: shares != nil)
        let stats = HeadStatistics.measure(model: bundle.model, windows: headWindows)
        // The sentence needs both: the drawn head is chapter 6's previous-token head, and in the last
        // panel every row after the first puts its largest weight on the token just before it.
        let final = views.last!.pattern
        func strongestKey(_ q: Int) -> Int {
            let row: [Double] = Array(final[q].prefix(q + 1))
            var best = 0
            for k in row.indices where row[k] > row[best] { best = k }
            return best
        }
        let lastPanelLooksBack = final.count > 1 && (1..<final.count).allSatisfy { strongestKey($0) == $0 - 1 }
        if lastPanelLooksBack, let drawn = zip(stats, HeadStatistics.classifyHeads(stats)).first(where: { $0.0.layer == layer && $0.0.head == head }), drawn.1 == .previous {
            snapshots.previousHead = Format.fixed(drawn.0.previous)
        }
        return snapshots
    }

    /// Chapter 6's held-out windows for the head statistics (chapter 2 quotes the same measurement).
    var headWindows: [[Int]] {
        training.validationWindows(count: Self.statWindows.count, length: min(Self.statWindows.length, bundle.model.config.contextLength))
    }

    /// Ch. 3: embedding rows, the positional scheme, a RoPE angle, one block's vector sizes.
    func chapter3(_ c: ChapterView) throws(UserError) -> Chapter3Values {
        let s = try c.scenario("prompt")
        let ids = try probe.ids(s, what: c.what)
        let model = bundle.model, C = model.config.width
        let wte = model.tensor("wte.weight")!
        let rows = ids.enumerated().map { t, id in
            let row = Array(wte.data[(id * C)..<((id + 1) * C)])
            return Chapter3Values.EmbeddingRow(position: t, token: probe.show(id), id: id,
                                               preview: row.prefix(4).map { Format.fixed(Double($0), 2) }.joined(separator: ", ") + ", …",
                                               norm: Format.fixed(norm(row[...])))
        }
        let pair = try c.int("rope", "pair", 0), positions = try c.int("rope", "positions", 6)
        let position = max(0, positions - 1)
        let angle = Double(position) * pow(10000, -2 * Double(pair) / Double(model.config.headSize))
        let layer = try c.int("block", "layer", 0)
        guard (0..<model.config.layers).contains(layer) else { throw c.fail("figure \"block\": layer \(layer) is out of range: allowed 0...\(model.config.layers - 1)") }
        let trace = model.forward(ids, trace: true).trace!
        let block = blockSteps(trace: trace, layer: layer)
        let p = model.config.positional
        // The same lens the `logitLens` figure draws, read at the last position.
        let lens = LogitLens(model: model, trace: trace), last = ids.count - 1
        let depths = (0..<lens.depths).map { d in
            let top = lens.top(1, depth: d, position: last)[0]
            return Chapter3Values.Lens.Depth(depth: d, token: probe.show(top.id), prob: Format.prob(top.probability))
        }
        let lensValues = Chapter3Values.Lens(last: probe.show(ids[last]), depths: depths, settled: lens.settledDepth(position: last),
                                             embeddingEchoes: lens.top(1, depth: 0, position: last)[0].id == ids[last])
        return Chapter3Values(prompt: Format.code(s.prompt), rows: rows, learned: p == .learned, sinusoidal: p == .sinusoidal, rope: p == .rope,
                              ropeExample: .init(position: position, pair: pair, angle: Format.fixed(angle)), block: block, lens: lensValues,
                              mlp: try mlp(c, trace: trace), norms: layerNormNorms(trace: trace, blockLayer: layer),
                              unembed: unembedding(trace: trace))
    }

    /// Ch. 3's MLP neurons: the figure "mlp"'s block on the prompt (`MLPActivations`) and its
    /// strongest neuron's top token over the training text (`NeuronScan`), as the `mlpActivations` figure computes them.
    func mlp(_ c: ChapterView, trace: Trace) throws(UserError) -> Chapter3Values.MLP {
        let model = bundle.model, config = model.config
        let layer = try c.int("mlp", "layer", max(0, (config.layers - 1) / 2))
        guard (0..<config.layers).contains(layer) else { throw c.fail("figure \"mlp\": layer \(layer) is out of range: allowed 0...\(config.layers - 1)") }
        let windows = NeuronScan.windows(of: training.train, length: config.contextLength, count: NeuronScan.standardWindows)
        guard !windows.isEmpty else { throw c.fail("the training text is empty: no token to look up the MLP neurons in") }
        let mlp = MLPActivations(trace: trace, layer: layer), peak = mlp.strongest(1)[0]
        let scan = NeuronScan(model: model, layer: layer, windows: windows), best = scan.top[peak.neuron][0]
        return .init(layer: layer, width: config.width, tokens: mlp.positions, positive: Format.percent(mlp.positiveShare),
                     minimum: Format.fixed(Double(mlp.range.lowerBound)), neuron: peak.neuron, peak: Format.fixed(Double(peak.activation), 2),
                     peakToken: probe.show(trace.ids[peak.position]), corpusToken: probe.show(best.id),
                     corpusPeak: Format.fixed(Double(best.activation), 2), scanned: scan.tokensScanned, windows: windows.count,
                     shown: try c.int("mlp", "neurons", 6))
    }

    /// The primer's illustrative next words after 我今天很, with its made-up probabilities.
    static let primerWords: [(String, String)] = [("开心", "0.4"), ("忙", "0.3"), ("累", "0.2"), ("幸福", "0.1")]

    /// The primer's split as whole numbers (0.4 : 0.3 : 0.2 : 0.1 → 4:3:2:1).
    static var primerRatio: [Int] { primerWords.map { Int((Double($0.1)! * 10).rounded()) } }

    /// How often each of the primer's words follows `prompt` in the training corpus, counted from
    /// its documents; chapter 4's text prints it and its `next` figure draws it.
    func corpusSplit(prompt: String) -> ContinuationCounts {
        ContinuationCounts(prompt: prompt, words: Self.primerWords.map(\.0), documents: training.documents)
    }

    /// Ch. 4: distribution, the primer's words against the corpus, code continuation, chain rule, PCA of embeddings.
    /// 我今天很 is read as the start of a document (after `<|endoftext|>`), as the chain rule reads its sentence.
    func chapter4(_ c: ChapterView) throws(UserError) -> Chapter4Values {
        let s = try c.scenario("next")
        let ids = [probe.eot] + (try probe.ids(s, what: c.what))
        let p = probe.nextProbabilities(ids)
        let split = corpusSplit(prompt: s.prompt)
        let words = Self.primerWords.enumerated().map { i, wp in
            let (word, primer) = wp
            let w = bundle.tokenizer.encode(word)
            return Chapter4Values.PrimerWord(word: Format.code(word), primerProb: primer, singleToken: w.count == 1,
                                             prob: Format.prob(p[w[0]]), rank: ModelProbe.rank(of: w[0], in: p),
                                             corpusCount: split.counts[i], corpusShare: Format.prob(split.share(i)),
                                             modelProbability: p[w[0]], corpusProbability: split.share(i))
        }
        let code = try c.scenario("code")
        let codeText = probe.continuation(code, try probe.generate(code, what: c.what), language: "python")
        let chainScenario = try c.scenario("chain")
        let chain = self.chain(try probe.ids(chainScenario, what: c.what), sentence: chainScenario.prompt)
        // The same rows and PCA the figure draws (the figure has no prompt in chapter 4).
        let projection = EmbeddingProjection(model: bundle.model, tokenizer: bundle.tokenizer, promptIDs: [],
                                             count: try c.int("pca", "tokens", 200))
        return Chapter4Values(next: probe.distribution(prompt: s.prompt, ids: ids, k: try c.int("next", "topK", 10)), primerWords: words,
                              corpus: .init(split: split, primer: Self.primerRatio), code: codeText, chain: chain,
                              pca: .init(tokens: projection.ids.count, explained: Format.percent(projection.explained.reduce(0, +))))
    }

    /// The chain rule over a sentence, starting at the document boundary: P(w₁ | ⟨eot⟩) · P(w₂ | ⟨eot⟩ w₁) ⋯, from one forward pass.
    func chain(_ ids: [Int], sentence: String) -> Chapter4Values.Chain {
        let seq = [probe.eot] + ids
        let probs = bundle.model.forward(seq).logits
        var logSum = 0.0
        let steps = (1..<seq.count).map { t -> TokenStep in
            let p = Sampler.softmax(Array(probs.row(t - 1)))[seq[t]]
            logSum += log(p)
            return TokenStep(step: t, token: probe.show(seq[t]), prob: Format.prob(p), logProb: Format.fixed(log(p)))
        }
        return Chapter4Values.Chain(sentence: Format.code(sentence), steps: steps, product: Format.scientific(exp(logSum)), logSum: Format.fixed(logSum))
    }

    /// Ch. 5: one head's scores, masked scores and weights; how much attention the mask blocks.
    func chapter5(_ c: ChapterView) throws(UserError) -> Chapter5Values {
        let s = try c.scenario("prompt")
        let ids = try probe.ids(s, what: c.what)
        let layer = try c.int("scores", "layer", 0), head = try c.int("scores", "head", 0)
        let cfg = bundle.model.config
        guard (0..<cfg.layers).contains(layer), (0..<cfg.heads).contains(head) else {
            throw c.fail("figure \"scores\": layer \(layer), head \(head) is out of range: allowed layer 0...\(cfg.layers - 1), head 0...\(cfg.heads - 1)")
        }
        guard ids.count >= 2 else { throw c.fail("scenario \"prompt\" needs at least 2 tokens") }
        let trace = bundle.model.forward(ids, trace: true).trace!
        let T = ids.count
        let raw = trace[TraceName.scoresUnmasked(layer: layer)]!, masked = trace[TraceName.scores(layer: layer)]!
        let pattern = trace[TraceName.pattern(layer: layer)]!
        let rows = (0..<T).map { i in
            Chapter5Values.Row(query: probe.show(ids[i]),
                               scores: (0..<T).map { Format.fixed(Double(raw[head, i, $0]), 2) },
                               masked: (0..<T).map { Format.fixed(Double(masked[head, i, $0]), 2) },
                               weights: (0..<T).map { Format.fixed(Double(pattern[head, i, $0]), 3) })
        }
        // Without the mask: softmax over the whole unmasked row; the mass on j > i is what the mask removes.
        var future = 0.0
        for i in 0..<(T - 1) {
            let w = Sampler.softmax((0..<T).map { raw[head, i, $0] })
            future += w[(i + 1)...].reduce(0, +)
        }
        return Chapter5Values(prompt: Format.code(s.prompt), layer: layer, head: head, tokens: ids.map(probe.show), rows: rows,
                              w21: Format.fixed(Double(pattern[head, 1, 0])), w22: Format.fixed(Double(pattern[head, 1, 1])),
                              futureShare: Format.percent(future / Double(T - 1)),
                              projection: try projection(c, trace: trace), scaling: try scaling(c))
    }

    /// Windows of held-out text for the head statistics: 16 windows of 32 tokens.
    static let statWindows = HeadStatistics.heldOutWindows

    /// Ch. 6: measured head behaviour over validation windows, labelled by `HeadStatistics.classifyHeads`.
    func chapter6(_ c: ChapterView) throws(UserError) -> Chapter6Values {
        let s = try c.scenario("prompt")
        _ = try probe.ids(s, what: c.what)
        let length = min(Self.statWindows.length, bundle.model.config.contextLength)
        let windows = headWindows
        guard !windows.isEmpty else { throw c.fail("the validation text is too short for \(Self.statWindows.count) windows of \(length) tokens") }
        let stats = HeadStatistics.measure(model: bundle.model, windows: windows)
        let kinds = HeadStatistics.classifyHeads(stats)
        let probe = HeadStatistics.inductionProbe(config: bundle.model.config, endOfText: bundle.tokenizer.endOfTextID)
        let induction = HeadStatistics.induction(model: bundle.model, probe: probe)
        let heads = zip(zip(stats, kinds), induction).map { sk, ind in
            let (s, k) = sk
            var head = Chapter6Values.Head(layer: s.layer, head: s.head, previous: Format.fixed(s.previous), first: Format.fixed(s.first),
                                           selfWeight: Format.fixed(s.selfWeight), entropy: Format.fixed(s.entropy),
                                           isPrevious: k == .previous, isFirst: k == .first, isSelf: k == .self, isDiffuse: k == .diffuse, isMixed: k == .mixed)
            head.induction = Format.fixed(ind.repeated); head.inductionBaseline = Format.fixed(ind.baseline)
            head.isInduction = ind.repeated > HeadStatistics.inductionThreshold
            return head
        }
        let inductionRef = { (s: InductionStatistic) in
            Chapter6Values.InductionRef(layer: s.layer, head: s.head, score: Format.fixed(s.repeated), baseline: Format.fixed(s.baseline))
        }
        let bestInduction = HeadStatistics.strongestInduction(induction)
        let strongest = HeadStatistics.strongestPrevious(stats)
        func refs(_ kind: HeadKind, _ score: (HeadStatistic) -> Double) -> [HeadRef] {
            zip(stats, kinds).filter { $0.1 == kind }.map { HeadRef(layer: $0.0.layer, head: $0.0.head, score: Format.fixed(score($0.0))) }
        }
        var values = Chapter6Values(prompt: Format.code(s.prompt), windows: windows.count, windowLength: length, rows: stats.first?.rows ?? 0,
                              heads: heads, previousHeads: refs(.previous, \.previous), firstHeads: refs(.first, \.first),
                              selfHeads: refs(.self, \.selfWeight), diffuseHeads: refs(.diffuse, \.entropy),
                              threshold: Format.fixed(HeadStatistics.threshold, 1), diffuseThreshold: Format.fixed(HeadStatistics.diffuseThreshold, 1),
                              strongestPrevious: HeadRef(layer: strongest.layer, head: strongest.head, score: Format.fixed(strongest.previous)),
                              uniformShare: Format.fixed(HeadStatistics.uniformShare(windows: windows)),
                              inductionHeads: induction.filter { $0.repeated > HeadStatistics.inductionThreshold }.map(inductionRef),
                              strongestInduction: inductionRef(bestInduction),
                              inductionLikeBaseline: abs(bestInduction.repeated - bestInduction.baseline) < HeadStatistics.inductionMargin,
                              inductionSetup: .init(sequences: probe.repeated.count, half: probe.half, length: probe.repeated.first?.count ?? 0,
                                                    rows: bestInduction.rows, offset: probe.half - 1,
                                                    threshold: Format.fixed(HeadStatistics.inductionThreshold, 1)))
        let repeatFraction = training.config.repeatFraction ?? 0
        values.repeatShare = Format.percent(repeatFraction)
        values.trainedOnRepeats = repeatFraction > 0
        let lowestPrevious = zip(stats, kinds).filter { $0.1 == .previous }.map(\.0.layer).min()
        values.hasPreviousHead = lowestPrevious != nil
        values.previousFeedsInduction = lowestPrevious.map { low in values.inductionHeads.contains { $0.layer > low } } ?? false
        return values
    }

    /// Ch. 7: every strategy on one prompt.
    func chapter7(_ c: ChapterView) throws(UserError) -> Chapter7Values {
        let gs = try c.scenario("greedy"), bs = try c.scenario("beam"), ss = try c.scenario("sample")
        let ks = try c.scenario("topK"), ps = try c.scenario("topP")
        let greedy = try probe.generate(gs, what: c.what)
        let beam = try probe.generate(bs, what: c.what)
        guard case .beam(let width) = bs.resolvedStrategy, let tree = beam.beams else { throw c.fail("scenario \"beam\" must use the beam strategy") }
        let greedyLog = greedy.steps.reduce(0.0) { $0 + Sampler.logSoftmax($1.logits)[$1.chosen] }
        let beamLog = tree.nodes[tree.best].cumulative
        let beamValues = Chapter7Values.Beam(width: width, text: probe.continuation(bs, beam), logProb: Format.fixed(beamLog),
                                             greedyLogProb: Format.fixed(greedyLog), tokens: beam.ids.count, greedyTokens: greedy.ids.count,
                                             beatGreedy: beam.ids != greedy.ids && beamLog > greedyLog, sameAsGreedy: beam.ids == greedy.ids,
                                             corpus: corpusMatch(bs, beam))
        let logits = greedy.steps[0].logits
        let temps = (c.text("temperature", "temperatures") ?? "0.5,1,2").split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !temps.isEmpty, temps.allSatisfy({ $0 > 0 }) else { throw c.fail("figure \"temperature\": temperatures must be positive numbers separated by commas") }
        let rows = temps.map { t -> Chapter7Values.TemperatureRow in
            let p = Sampler.softmax(logits, temperature: t)
            let top = ModelProbe.rankByProbability(p)[0]
            let h = p.reduce(0.0) { $1 > 0 ? $0 - $1 * log($1) : $0 }
            return .init(t: Format.fixed(t, 1), top1: probe.show(top), top1Prob: Format.prob(p[top]), entropy: Format.fixed(h))
        }
        func cut(_ s: ScenarioConfig, _ parameter: String) throws(UserError) -> Chapter7Values.Cut {
            let r = try probe.generate(s, what: c.what)
            let step = r.steps[0]
            let original = Sampler.softmax(step.logits)
            let mass = step.kept.reduce(0.0) { $0 + original[$1.id] }
            let drawn = step.kept.first { $0.id == step.chosen }!
            return .init(parameter: parameter, kept: step.kept.count, keptMass: Format.percent(mass), drawn: probe.show(step.chosen),
                         drawnProb: Format.prob(Double(drawn.probability)), seed: String(s.seed ?? 0))
        }
        guard case .topK(let k, _) = ks.resolvedStrategy, case .topP(let pp, _) = ps.resolvedStrategy,
              case .sample(let st) = ss.resolvedStrategy else {
            throw c.fail("scenarios \"topK\", \"topP\" and \"sample\" must use the topK, topP and sample strategies")
        }
        let sample = try probe.generate(ss, what: c.what)
        return Chapter7Values(prompt: Format.code(gs.prompt),
                              greedy: .init(text: probe.continuation(gs, greedy), steps: probe.steps(greedy), corpus: corpusMatch(gs, greedy)),
                              beam: beamValues, temperatures: rows, topK: try cut(ks, String(k)), topP: try cut(ps, trimmed(pp)),
                              sample: .init(temperature: trimmed(st), seed: String(ss.seed ?? 0), text: probe.continuation(ss, sample),
                                            sameAsGreedy: sample.ids == greedy.ids, sameAsBeam: sample.ids == beam.ids,
                                            corpus: corpusMatch(ss, sample)),
                              cache: try cache(c, greedy))
    }

    /// How often a scenario's printed text (prompt and continuation, a final end-of-text left out)
    /// occurs word for word in the corpus's documents.
    func corpusMatch(_ s: ScenarioConfig, _ r: GenerationResult) -> Chapter7Values.CorpusMatch {
        let shown = r.ids.last == probe.eot ? Array(r.ids.dropLast()) : r.ids
        let text = s.prompt + bundle.tokenizer.decode(shown)
        var count = 0
        for doc in training.documents {
            var rest = doc[...]
            while let range = rest.range(of: text) { count += 1; rest = rest[range.upperBound...] }
        }
        return .init(count: count)
    }

    /// Ch. 7's key/value cache: the greedy run's steps, counted by `DecodingCost` as the `kvCache` figure counts them.
    func cache(_ c: ChapterView, _ greedy: GenerationResult) throws(UserError) -> Chapter7Values.Cache {
        guard !greedy.ids.isEmpty else { throw c.fail("scenario \"greedy\" generated no token, so the cache was never used") }
        let config = bundle.model.config
        return .init(promptTokens: greedy.promptIDs.count,
                     steps: DecodingCost.steps(config, promptLength: greedy.promptIDs.count, generated: greedy.ids.count),
                     rowCost: DecodingCost.row(config, position: 0))
    }
}

/// L2 norm in Double.
func norm(_ v: ArraySlice<Float>) -> Double { v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }

/// `0.9` as `0.9`, `1.0` as `1`.
func trimmed(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(x)
}
