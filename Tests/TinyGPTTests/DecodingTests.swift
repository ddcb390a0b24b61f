import Foundation
import Testing
@testable import TinyGPT

@Suite struct DecodingTests {
    // MARK: the generator

    @Test func splitMix64MatchesTheReferenceOutputs() {
        // First outputs of the reference C implementation (Vigna) for seed 0.
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
        var h = SplitMix64(seed: 0)
        #expect(h.nextUniform() == Double(UInt64(0xE220_A839_7B1D_CDAF) >> 11) * 0x1p-53)
    }

    // MARK: sampling frequencies

    /// An independent computation of the kept distribution for the fixed logits below:
    /// softmax(l/T) in Double, order by logit descending then id, first k, then the smallest
    /// prefix of the renormalised top-k whose mass reaches p.
    static let logits: [Float] = [1.2, 0.4, 2.0, 0.4, -0.3, 1.0, -1.5, 0.1]

    static func expectedKept(temperature: Double, topK: Int, topP: Double) -> [(Int, Double)] {
        let e = logits.map { exp(Double($0) / temperature) }
        let order = (0..<logits.count).sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        let topk = Array(order.prefix(topK))
        let mk = topk.reduce(0) { $0 + e[$1] }
        var kept: [Int] = []
        var c = 0.0
        for id in topk where c < topP {
            kept.append(id)
            c += e[id] / mk
        }
        let m = kept.reduce(0) { $0 + e[$1] }
        return kept.map { ($0, e[$0] / m) }
    }

    @Test func samplingFrequenciesMatchTheRenormalisedDistribution() throws {
        let model = FixedModel(logits: Self.logits)
        let expected = Self.expectedKept(temperature: 0.8, topK: 6, topP: 0.9)
        // Hand check of the set: top-6 is [2, 0, 5, 1, 3, 7] (1 and 3 tie at 0.4, lower id first);
        // renormalised cumulative 0.50, 0.68, 0.82, 0.89, 0.95: token 3 crosses 0.9 and is kept.
        #expect(expected.map(\.0) == [2, 0, 5, 1, 3])

        // One token per seed, seeds 0..<n: fixed, so the test is deterministic, and many, so it
        // is not one lucky seed.
        let n = 20_000
        var counts = [Int](repeating: 0, count: Self.logits.count)
        for seed in 0..<n {
            let options = GenerationOptions(strategy: .sample, temperature: 0.8, topK: 6, topP: 0.9,
                                            maxTokens: 1, seed: UInt64(seed))
            let r = try model.generate(prompt: [0], options: options, endOfText: nil)
            counts[r.ids[0]] += 1
        }
        // Nothing outside the kept set, ever.
        for id in counts.indices where !expected.contains(where: { $0.0 == id }) {
            #expect(counts[id] == 0, "token \(id) is outside the kept set")
        }
        // Pearson chi-square with K - 1 = 4 degrees of freedom. For a correct sampler fed
        // independent uniforms, P(chi2 > 23.513) = 1e-4.
        func chiSquare(_ dist: [(Int, Double)]) -> Double {
            dist.reduce(0) { acc, e in
                let want = Double(n) * e.1
                return acc + (Double(counts[e.0]) - want) * (Double(counts[e.0]) - want) / want
            }
        }
        let chi2 = chiSquare(expected)
        #expect(chi2 < 23.513, "chi-square \(chi2) over 4 degrees of freedom")
        // Each count also within 5 binomial standard deviations of n·q.
        for (id, q) in expected {
            let sd = (Double(n) * q * (1 - q)).squareRoot()
            #expect(abs(Double(counts[id]) - Double(n) * q) < 5 * sd, "token \(id): \(counts[id]) vs \(Double(n) * q)")
        }
        // Power: the same counts are rejected against a plausible mistake, the top-k set without
        // the top-p cut (or without temperature), so the bound above can actually fail.
        #expect(chiSquare(Self.expectedKept(temperature: 0.8, topK: 6, topP: 1.0001)) > 23.513)
        #expect(chiSquare(Self.expectedKept(temperature: 1.0, topK: 6, topP: 0.9)) > 23.513)
    }

    @Test func recordedUniformReplaysTheChoice() throws {
        let model = HashModel(vocabSize: 12, contextLength: 32, seed: 3)
        let options = GenerationOptions(strategy: .sample, temperature: 1.3, topK: 9, topP: 0.8,
                                        maxTokens: 20, seed: 11)
        let r = try model.generate(prompt: [1], options: options, endOfText: nil)
        #expect(r.steps.count == 20)
        var rng = SplitMix64(seed: 11)
        for step in r.steps {
            let probabilities = Sampler.softmax(step.logits, temperature: Double(Float(1.3)))  // as stored
            let order = Sampler.order(step.logits)
            let kept = Sampler.keptSet(probabilities: probabilities, order: order, topK: 9, topP: 0.8)
            #expect(step.uniform == rng.nextUniform())  // one draw per step, in order
            #expect(Sampler.pick(uniform: step.uniform!, kept: kept) == step.chosen)
            #expect(step.kept.map(\.id) == kept.map(\.id))
            #expect(abs(step.kept.map(\.probability).reduce(0, +) - 1) < 1e-5)
            #expect(order[step.rank - 1] == step.chosen)
            #expect(step.probability == Float(probabilities[step.chosen]))
            #expect(step.logits.count == 12 && step.probabilities.count == 12)
        }
        // Same seed, same record; another seed, another output.
        #expect(try model.generate(prompt: [1], options: options, endOfText: nil) == r)
        var other = options
        other.seed = 12
        #expect(try model.generate(prompt: [1], options: other, endOfText: nil).ids != r.ids)
    }

    @Test func pickIsTheInverseCDFInKeptOrder() {
        let kept: [(id: Int, probability: Double)] = [(3, 0.6), (1, 0.4)]
        #expect(Sampler.pick(uniform: 0, kept: kept) == 3)
        #expect(Sampler.pick(uniform: 0.5999, kept: kept) == 3)
        #expect(Sampler.pick(uniform: 0.6, kept: kept) == 1)
        #expect(Sampler.pick(uniform: 0.9999999, kept: kept) == 1)
        // Rounding that leaves the cumulative sum short of u falls to the last kept token.
        #expect(Sampler.pick(uniform: 0.99, kept: [(0, 0.5), (1, 0.49)]) == 1)
    }

    // MARK: top-k and top-p

    @Test func repeatedSpanFindsTightLoopsAndScatteredRepeats() {
        // A loop: [1, 2, 3] three times back to back after the prompt [9].
        #expect(RepeatedSpan.find(prompt: [9], output: [1, 2, 3, 1, 2, 3, 1, 2, 3])
                == RepeatedSpan(span: [1, 2, 3], starts: [1, 4, 7], backToBack: true))
        // One token repeated four times is a loop too (≥ 3 repeats).
        #expect(RepeatedSpan.find(prompt: [], output: [4, 5, 5, 5, 5]) == RepeatedSpan(span: [5], starts: [1, 2, 3, 4], backToBack: true))
        // A 3-token span written again with other text between: every occurrence, prompt included.
        #expect(RepeatedSpan.find(prompt: [7, 8, 9], output: [1, 7, 8, 9, 2, 3, 7, 8, 9])
                == RepeatedSpan(span: [7, 8, 9], starts: [0, 4, 9], backToBack: false))
        #expect(RepeatedSpan.find(prompt: [1], output: [2, 3, 4, 5]) == nil)
    }

    @Test func greedyArgmaxIsTheFirstOfTheOrderTiesIncluded() {
        var g = SplitMix64(seed: 7)
        for trial in 0..<200 {
            // Few distinct values, so most rows have ties at the top.
            let logits = (0..<(1 + trial % 40)).map { _ in Float(Int(g.next() % 5)) - 2 }
            #expect(Sampler.argmax(logits) == Sampler.order(logits)[0], "\(logits)")
            #expect(Sampler.greedy(logits: logits, position: 0).chosen == Sampler.order(logits)[0])
        }
    }

    @Test func topKTiesKeepTheLowerIDs() throws {
        // Tokens 1, 2, 3 tie; top-2 keeps 1 and 2 (lower id wins at the cut), never 3.
        let model = FixedModel(logits: [1, 3, 3, 3, 0])
        let probabilities = Sampler.softmax(model.logits)
        let order = Sampler.order(model.logits)
        #expect(order == [1, 2, 3, 0, 4])
        let kept = Sampler.keptSet(probabilities: probabilities, order: order, topK: 2, topP: nil)
        #expect(kept.map(\.id) == [1, 2])
        #expect(kept.allSatisfy { abs($0.probability - 0.5) < 1e-12 })
        var seen = Set<Int>()
        for seed in 0..<200 {
            let options = GenerationOptions(strategy: .sample, topK: 2, maxTokens: 1, seed: UInt64(seed))
            seen.insert(try model.generate(prompt: [0], options: options, endOfText: nil).ids[0])
        }
        #expect(seen == [1, 2])
        // top-1 with ties is greedy's choice: the lowest id.
        let one = GenerationOptions(strategy: .sample, topK: 1, maxTokens: 3, seed: 5)
        #expect(try model.generate(prompt: [0], options: one, endOfText: nil).ids == [1, 1, 1])
        #expect(try model.generate(prompt: [0], options: GenerationOptions(maxTokens: 3), endOfText: nil).ids == [1, 1, 1])
    }

    @Test func topPBoundary() {
        // Probabilities 1/8, 1/2, 1/8, 1/4 (binary fractions, exact): order [1, 3, 0, 2].
        let p = [0.125, 0.5, 0.125, 0.25]
        let order = [1, 3, 0, 2]
        func kept(_ topP: Double, topK: Int? = nil) -> [Int] {
            Sampler.keptSet(probabilities: p, order: order, topK: topK, topP: topP).map(\.id)
        }
        #expect(kept(0.75) == [1, 3])         // mass exactly reaches p: nothing more
        #expect(kept(0.76) == [1, 3, 0])      // crossing token included; 0 before 2 (tie, lower id)
        #expect(kept(0.74) == [1, 3])
        #expect(kept(0.5) == [1])
        #expect(kept(0.3) == [1])             // the most probable token is always kept
        #expect(kept(1) == [1, 3, 0, 2])
        // top-p acts on the top-k set renormalised: {1: 2/3, 3: 1/3}.
        #expect(kept(0.6, topK: 2) == [1])
        #expect(kept(0.7, topK: 2) == [1, 3])
        // The same boundary through Float logits log(p), where the sums carry rounding: the
        // documented 1e-6 slack still counts 0.75 as reached.
        let logits = p.map { Float(log($0)) }
        let viaLogits = Sampler.keptSet(probabilities: Sampler.softmax(logits), order: Sampler.order(logits),
                                        topK: nil, topP: 0.75)
        #expect(viaLogits.map(\.id) == [1, 3])
        #expect(abs(viaLogits[0].probability - 2.0 / 3) < 1e-6)
    }

    // MARK: limits of the strategies

    @Test(arguments: 0..<10) func temperatureTowardZeroIsGreedy(seed: UInt64) throws {
        // Distinct logits with gaps of 0.25: at T = 0.01 every other token has probability
        // below 16·e^-25, so sampling must pick the argmax at every step.
        let model = HashModel(vocabSize: 16, contextLength: 40, seed: seed, scale: 4, distinct: true)
        let greedy = try model.generate(prompt: [2], options: GenerationOptions(maxTokens: 30), endOfText: 15)
        let cold = try model.generate(prompt: [2], options: GenerationOptions(strategy: .sample, temperature: 0.01,
                                                                               maxTokens: 30, seed: seed),
                                      endOfText: 15)
        #expect(cold.ids == greedy.ids)
        #expect(cold.stop == greedy.stop)
        // T = 0 is greedy exactly, record for record (no draw, model probabilities at T = 1).
        let zero = try model.generate(prompt: [2], options: GenerationOptions(strategy: .sample, temperature: 0,
                                                                               maxTokens: 30, seed: seed),
                                      endOfText: 15)
        #expect(zero.steps == greedy.steps)
        #expect(zero.steps.allSatisfy { $0.uniform == nil && $0.rank == 1 })
    }

    @Test(arguments: 0..<10) func beamWidthOneIsGreedy(seed: UInt64) throws {
        // With no length penalty. (With A > 0 width 1 may pass over an end-of-text that greedy
        // takes, because a longer hypothesis can still score higher.)
        let model = HashModel(vocabSize: 8, contextLength: 24, seed: seed)
        let greedy = try model.generate(prompt: [1, 2], options: GenerationOptions(maxTokens: 20), endOfText: 7)
        let beam = try model.generate(prompt: [1, 2], options: GenerationOptions(strategy: .beam, beamWidth: 1,
                                                                                  maxTokens: 20),
                                      endOfText: 7)
        #expect(beam.ids == greedy.ids)
        #expect(beam.stop == greedy.stop)
        let logp = greedy.steps.reduce(0.0) { $0 + log(Double($1.probability)) }
        #expect(abs(beam.beams!.nodes[beam.beams!.best].cumulative - logp) < 1e-4)
    }

    /// Exhaustive search over every complete output of a tiny model: sequences that end with
    /// end-of-text at length ≤ L, and sequences of length exactly L without it (cut by max
    /// tokens). Score = log P / length^A, the length counting the end-of-text token.
    static func exhaustive(_ model: HashModel, prompt: [Int], eot: Int, maxLength: Int,
                           alpha: Double) -> (tokens: [Int], score: Double) {
        var best: (tokens: [Int], score: Double) = ([], -.infinity)
        func visit(_ prefix: [Int], _ logp: Double) {
            let l = model.nextTokenLogits(prompt + prefix).map(Double.init)
            let m = l.max()!
            let z = log(l.reduce(0) { $0 + exp($1 - m) }) + m
            for t in 0..<model.vocabSize {
                let s = prefix + [t], lp = logp + l[t] - z
                if t == eot || s.count == maxLength {
                    let score = lp / pow(Double(s.count), alpha)
                    if score > best.score { best = (s, score) }
                } else {
                    visit(s, lp)
                }
            }
        }
        visit([], 0)
        return best
    }

    // A values exact in Float, because options store A as a Float.
    @Test(arguments: [0.0, 0.75, 2.0]) func wideBeamFindsTheExhaustiveBest(alpha: Double) throws {
        // Claim, stated exactly: with W = V and at most L = 2 tokens, every 1-token prefix stays
        // live, so the beam sees every complete output and its best (over finished hypotheses
        // and the last live ones) is the exhaustive best. For L ≥ 3, W = V is not exhaustive;
        // there we check only that the beam's answer is a real output scored correctly and
        // never better than the exhaustive best.
        var bestEndsEarly = 0, bestIsLong = 0
        for seed in UInt64(0)..<25 {
            let model = HashModel(vocabSize: 4, contextLength: 16, seed: seed)
            let options = GenerationOptions(strategy: .beam, beamWidth: 4, lengthPenalty: Float(alpha), maxTokens: 2)
            let beam = try model.generate(prompt: [0], options: options, endOfText: 3)
            let truth = Self.exhaustive(model, prompt: [0], eot: 3, maxLength: 2, alpha: alpha)
            let tree = beam.beams!
            #expect(beam.ids == truth.tokens, "seed \(seed)")
            #expect(abs(tree.nodes[tree.best].score - truth.score) < 1e-9)
            #expect(beam.stop == (truth.tokens.last == 3 ? .endOfText : .maxTokens))
            if truth.tokens.count == 1 { bestEndsEarly += 1 } else { bestIsLong += 1 }

            let three = GenerationOptions(strategy: .beam, beamWidth: 4, lengthPenalty: Float(alpha), maxTokens: 3)
            let b3 = try model.generate(prompt: [0], options: three, endOfText: 3)
            let t3 = Self.exhaustive(model, prompt: [0], eot: 3, maxLength: 3, alpha: alpha)
            let s3 = b3.beams!.nodes[b3.beams!.best].score
            #expect(s3 <= t3.score + 1e-12)
            #expect(b3.ids.last == 3 || b3.ids.count == 3)
            var logp = 0.0
            for i in b3.ids.indices {
                logp += Sampler.logSoftmax(model.nextTokenLogits([0] + b3.ids[..<i]))[b3.ids[i]]
            }
            #expect(abs(s3 - logp / pow(Double(b3.ids.count), alpha)) < 1e-9)
        }
        // Not vacuous: short finished answers win for A = 0; length-2 answers occur everywhere.
        #expect(bestIsLong > 0)
        if alpha == 0 { #expect(bestEndsEarly > 0) }
    }

    @Test func beamTreeRecordsEveryExpansion() throws {
        let model = HashModel(vocabSize: 10, contextLength: 32, seed: 9)
        let options = GenerationOptions(strategy: .beam, beamWidth: 3, lengthPenalty: 0.7, maxTokens: 6)
        let r = try model.generate(prompt: [4], options: options, endOfText: 9)
        let tree = try #require(r.beams)
        #expect(tree.nodes.enumerated().allSatisfy { $0.offset == $0.element.id })
        #expect(tree.nodes[0].parent == nil && tree.nodes[0].token == nil)
        let lastStep = tree.nodes.map(\.step).max()!
        for step in 1...lastStep {
            let here = tree.nodes.filter { $0.step == step }
            let parents = Set(here.map { $0.parent! })
            // Every live parent proposes W + 1 tokens; at most W children stay live.
            #expect(here.count == parents.count * 4)
            #expect(here.filter { $0.status == .kept }.count <= 3)
            #expect(parents.allSatisfy { tree.nodes[$0].status == .kept && tree.nodes[$0].step == step - 1 })
            for node in here {
                let parent = tree.nodes[node.parent!]
                #expect(abs(node.cumulative - (parent.cumulative + node.logprob)) < 1e-12)
                #expect(abs(node.score - node.cumulative / pow(Double(step), tree.lengthPenalty)) < 1e-12)
                if node.status == .finished { #expect(node.token == 9) }
            }
        }
        #expect(r.ids == tree.tokens(to: tree.best))
        let scores = tree.ranked.map { tree.nodes[$0].score }
        #expect(scores == scores.sorted(by: >))
    }

    // MARK: cache

    @Test(arguments: [DecodingStrategy.greedy, .sample, .beam])
    func cachedAndUncachedGiveIdenticalRecords(strategy: DecodingStrategy) throws {
        let options: GenerationOptions = switch strategy {
        case .greedy: GenerationOptions(maxTokens: 25)
        case .sample: GenerationOptions(strategy: .sample, temperature: 0.9, topK: 8, topP: 0.95, maxTokens: 25, seed: 4)
        case .beam: GenerationOptions(strategy: .beam, beamWidth: 3, lengthPenalty: 0.5, maxTokens: 25)
        }
        for seed in UInt64(0)..<5 {
            let cachedModel = HashModel(vocabSize: 16, contextLength: 20, seed: seed)
            let fullModel = HashModel(vocabSize: 16, contextLength: 20, seed: seed)
            let cached = try cachedModel.generate(prompt: [1, 2, 3], options: options, endOfText: 0)
            let full = try fullModel.generate(prompt: [1, 2, 3], options: options, endOfText: 0, cached: false)
            #expect(cached == full)
            #expect(try cached.jsonData() == full.jsonData())
            // The cached run really used the cache, and fed each token once per hypothesis.
            #expect(cachedModel.counter.fullPasses == 0 && cachedModel.counter.appends > 0)
            #expect(fullModel.counter.appends == 0)
            if strategy != .beam {
                #expect(cachedModel.counter.appends == 3 + cached.steps.count - 1)
                #expect(fullModel.counter.fullPasses == cached.steps.count)
            }
        }
    }

    // MARK: stopping

    @Test func stopReasons() throws {
        let model = HashModel(vocabSize: 8, contextLength: 6, seed: 1)
        // Context: 3 prompt tokens leave room for 3.
        let ctx = try model.generate(prompt: [1, 2, 3], options: GenerationOptions(maxTokens: 10), endOfText: nil)
        #expect(ctx.stop == .contextLimit && ctx.ids.count == 3)
        // Max tokens wins over the context when both are reached at once.
        let both = try model.generate(prompt: [1, 2, 3], options: GenerationOptions(maxTokens: 3), endOfText: nil)
        #expect(both.stop == .maxTokens && both.ids.count == 3)
        // A prompt that fills the context leaves no room at all.
        let full = try model.generate(prompt: [1, 2, 3, 4, 5, 6], options: GenerationOptions(), endOfText: nil)
        #expect(full.stop == .contextLimit && full.ids.isEmpty && full.steps.isEmpty)
        let beamCtx = try model.generate(prompt: [1, 2, 3, 4], options: GenerationOptions(strategy: .beam, maxTokens: 9),
                                         endOfText: nil)
        #expect(beamCtx.stop == .contextLimit && beamCtx.ids.count == 2)
        // End-of-text as the argmax: one token, kept in the output.
        let eot = FixedModel(logits: [0, 1, 5, 2])
        let e = try eot.generate(prompt: [0], options: GenerationOptions(), endOfText: 2)
        #expect(e.stop == .endOfText && e.ids == [2])
        let eb = try eot.generate(prompt: [0], options: GenerationOptions(strategy: .beam, beamWidth: 2), endOfText: 2)
        #expect(eb.stop == .endOfText && eb.ids == [2])
    }

    // MARK: repetition

    @Test func greedyLoopIsFlagged() throws {
        let r = try LoopModel().generate(prompt: [0], options: GenerationOptions(maxTokens: 8), endOfText: nil)
        #expect(r.ids == [1, 2, 0, 1, 2, 0, 1, 2])
        // Sequence 0 1 2 0 1 2 …: the 3-gram 0 1 2 at positions 3–5 repeats positions 0–2.
        #expect(r.repetition == RepetitionFlag(position: 5, ngram: [0, 1, 2], earlier: 0))
    }

    @Test func repetitionDetection() {
        #expect(RepetitionFlag.detect(prompt: [9], output: [1, 2, 3, 4, 5, 1, 2]) == nil)
        // Overlapping occurrences count: 7 7 7 7 repeats 7 7 7.
        #expect(RepetitionFlag.detect(prompt: [9], output: [7, 7, 7, 7]) == RepetitionFlag(position: 4, ngram: [7, 7, 7], earlier: 1))
        // A repeat inside the prompt alone is not the output's fault.
        #expect(RepetitionFlag.detect(prompt: [1, 2, 3, 1, 2, 3], output: [4]) == nil)
        // The longest n-gram ending at the first repeat is reported.
        #expect(RepetitionFlag.detect(prompt: [1, 2, 3, 4, 8, 2, 3], output: [4, 5])
                == RepetitionFlag(position: 7, ngram: [2, 3, 4], earlier: 1))
        #expect(RepetitionFlag.detect(prompt: [5, 1, 2, 3, 4, 1, 2, 3], output: [4, 6])
                == RepetitionFlag(position: 8, ngram: [1, 2, 3, 4], earlier: 1))
    }

    // MARK: options

    @Test(arguments: [
        (GenerationOptions(strategy: .sample, temperature: -0.5), "--temperature -0.5 is out of range: allowed T ≥ 0 (0 means greedy)"),
        (GenerationOptions(strategy: .sample, temperature: .nan), "--temperature nan is out of range: allowed T ≥ 0 (0 means greedy)"),
        (GenerationOptions(strategy: .sample, topK: 0), "--top-k 0 is out of range: allowed 1 ≤ k ≤ 50 (the vocabulary size)"),
        (GenerationOptions(strategy: .sample, topK: 51), "--top-k 51 is out of range: allowed 1 ≤ k ≤ 50 (the vocabulary size)"),
        (GenerationOptions(strategy: .sample, topP: 0), "--top-p 0 is out of range: allowed 0 < p ≤ 1"),
        (GenerationOptions(strategy: .sample, topP: 1.5), "--top-p 1.5 is out of range: allowed 0 < p ≤ 1"),
        (GenerationOptions(strategy: .beam, beamWidth: 0), "--beam-width 0 is out of range: allowed 1 ≤ W ≤ 50 (the vocabulary size)"),
        (GenerationOptions(strategy: .beam, beamWidth: 51), "--beam-width 51 is out of range: allowed 1 ≤ W ≤ 50 (the vocabulary size)"),
        (GenerationOptions(strategy: .beam, lengthPenalty: -1), "--length-penalty -1 is out of range: allowed A ≥ 0 (0 means no normalisation)"),
        (GenerationOptions(maxTokens: 0), "--max-tokens 0 is out of range: allowed N ≥ 1"),
        (GenerationOptions(strategy: .greedy, topK: 5), "--top-k applies only to --strategy sample, not greedy"),
        (GenerationOptions(strategy: .greedy, temperature: 0.7), "--temperature applies only to --strategy sample, not greedy"),
        (GenerationOptions(strategy: .beam, topP: 0.9), "--top-p applies only to --strategy sample, not beam"),
        (GenerationOptions(strategy: .beam, temperature: 1), "--temperature applies only to --strategy sample, not beam"),
        (GenerationOptions(strategy: .sample, beamWidth: 2), "--beam-width applies only to --strategy beam, not sample"),
        (GenerationOptions(strategy: .greedy, lengthPenalty: 1), "--length-penalty applies only to --strategy beam, not greedy"),
        // Two mistakes: the range is reported first.
        (GenerationOptions(strategy: .greedy, topP: 2), "--top-p 2 is out of range: allowed 0 < p ≤ 1"),
    ])
    func badOptionsGiveOneLine(options: GenerationOptions, message: String) {
        #expect(throws: UserError(message)) { try options.validate(vocabSize: 50) }
        #expect(!message.contains("\n"))
    }

    @Test func goodOptionsPass() throws {
        for options in [
            GenerationOptions(), GenerationOptions(strategy: .sample),
            GenerationOptions(strategy: .sample, temperature: 0, topK: 50, topP: 1),
            GenerationOptions(strategy: .beam, beamWidth: 50, lengthPenalty: 0),
        ] {
            try options.validate(vocabSize: 50)
        }
    }

    @Test func badPromptsGiveOneLine() {
        let model = FixedModel(logits: [0, 1, 2], contextLength: 4)
        #expect(throws: UserError("the prompt is empty: allowed 1 to 4 tokens")) {
            try model.generate(prompt: [], options: GenerationOptions(), endOfText: nil)
        }
        #expect(throws: UserError("the prompt has 5 tokens: allowed 1 to 4 (the model's context)")) {
            try model.generate(prompt: [0, 0, 0, 0, 0], options: GenerationOptions(), endOfText: nil)
        }
        #expect(throws: UserError("prompt token id 3 is out of range: allowed 0 ≤ id < 3")) {
            try model.generate(prompt: [0, 3], options: GenerationOptions(), endOfText: nil)
        }
    }

    // MARK: JSON

    @Test func jsonHasTheDocumentedShape() throws {
        let model = HashModel(vocabSize: 6, contextLength: 16, seed: 2)
        let sample = try model.generate(prompt: [1, 2], options: GenerationOptions(strategy: .sample, topK: 3, maxTokens: 4, seed: 1),
                                        endOfText: 5).withText { $0.map(String.init).joined(separator: " ") }
        let data = try sample.jsonData()
        #expect(try sample.jsonData() == data)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(json.keys) == ["prompt_ids", "ids", "text", "stop", "options", "steps", "beams", "repetition"])
        #expect(json["prompt_ids"] as? [Int] == [1, 2])
        #expect(json["ids"] as? [Int] == sample.ids)
        #expect(json["text"] as? String == sample.ids.map(String.init).joined(separator: " "))
        #expect(json["beams"] is NSNull)
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(Set(steps[0].keys) == ["position", "logits", "probabilities", "kept", "uniform", "chosen", "rank", "probability"])
        #expect((steps[0]["logits"] as? [Any])?.count == 6)
        #expect((steps[0]["kept"] as? [[String: Any]])?.count == 3)
        #expect(try JSONDecoder().decode(GenerationResult.self, from: data) == sample)

        let greedy = try model.generate(prompt: [1], options: GenerationOptions(maxTokens: 2), endOfText: nil)
        let g = try #require(try JSONSerialization.jsonObject(with: greedy.jsonData()) as? [String: Any])
        #expect(g["text"] is NSNull)
        #expect((g["steps"] as? [[String: Any]])?[0]["uniform"] is NSNull)

        let beam = try model.generate(prompt: [1], options: GenerationOptions(strategy: .beam, beamWidth: 2, maxTokens: 3), endOfText: 5)
        let b = try #require(try JSONSerialization.jsonObject(with: beam.jsonData()) as? [String: Any])
        let tree = try #require(b["beams"] as? [String: Any])
        #expect(Set(tree.keys) == ["width", "length_penalty", "nodes", "ranked", "best"])
        let nodes = try #require(tree["nodes"] as? [[String: Any]])
        #expect(Set(nodes[0].keys) == ["id", "parent", "token", "step", "logprob", "cumulative", "score", "status"])
        #expect(nodes[0]["parent"] is NSNull)
        #expect((b["steps"] as? [Any])?.isEmpty == true)
        #expect(try JSONDecoder().decode(GenerationResult.self, from: beam.jsonData()) == beam)
    }

    // MARK: bench hook

    @Test func benchmarkGeneratesBothWays() throws {
        // No timing assertion (shared machines); only that both runs happen and report.
        let b = try GenerationBenchmark.run(model: HashModel(vocabSize: 8, contextLength: 20, seed: 0), prompt: [1], tokens: 50)
        #expect(b.tokens == 19)
        #expect(b.cachedTokensPerSecond > 0 && b.uncachedTokensPerSecond > 0)
    }
}
