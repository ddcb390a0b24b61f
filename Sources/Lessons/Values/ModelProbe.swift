import Foundation
import TinyGPT

/// Small measurements on the shipped model, shared by the chapters: next-token distributions,
/// generation with a lesson strategy, token display. Every value the lessons print passes
/// through here or through a chapter function in `EngineRun+Chapters*.swift`.
struct ModelProbe {
    let bundle: ModelBundle
    var model: GPT { bundle.model }
    var tokenizer: Tokenizer { bundle.tokenizer }
    var eot: Int { bundle.tokenizer.endOfTextID }

    /// Token ids of a prompt, or an error naming the scenario.
    func ids(_ s: ScenarioConfig, what: String) throws(UserError) -> [Int] {
        do { return try bundle.promptIDs(s.prompt, reserve: s.maxNewTokens) } catch {
            throw UserError("\(what): scenario \"\(s.id)\": \(error.message)")
        }
    }

    /// A token as inline code (`␣` for spaces, `⏎` for newlines).
    func show(_ id: Int) -> String { Format.code(tokenizer.displayText(id)) }

    /// Next-token probabilities after `ids`, in Double (the decoder's softmax).
    func nextProbabilities(_ ids: [Int]) -> [Double] {
        Sampler.softmax(Array(model.forward(ids).logits.row(ids.count - 1)))
    }

    /// The k most probable next tokens after `prompt`.
    func distribution(prompt: String, ids: [Int], k: Int) -> Distribution {
        let p = nextProbabilities(ids)
        let ranked = Self.rankByProbability(p)
        let top = ranked.prefix(k).enumerated().map { i, id in tokenProb(rank: i + 1, id: id, p: p[id]) }
        let mass = ranked.prefix(k).reduce(0.0) { $0 + p[$1] }
        return Distribution(prompt: Format.code(prompt), top: top, top1: top[0], k: k, topMass: Format.percent(mass))
    }

    /// Ids by probability descending, ties by lowest id.
    static func rankByProbability(_ p: [Double]) -> [Int] {
        p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
    }

    /// Rank (1 = best) of `id` in `p`.
    static func rank(of id: Int, in p: [Double]) -> Int {
        1 + p.indices.filter { p[$0] > p[id] || (p[$0] == p[id] && $0 < id) }.count
    }

    func tokenProb(rank: Int, id: Int, p: Double) -> TokenProb {
        TokenProb(rank: rank, token: show(id), id: id, prob: Format.prob(p), percent: Format.percent(p))
    }

    /// The engine's options for a lesson strategy.
    static func options(_ s: ScenarioConfig) -> GenerationOptions {
        let n = max(1, s.maxNewTokens), seed = s.seed ?? 0
        switch s.resolvedStrategy {
        case .greedy: return GenerationOptions(strategy: .greedy, maxTokens: n, seed: seed)
        case .sample(let t): return GenerationOptions(strategy: .sample, temperature: Float(t), maxTokens: n, seed: seed)
        case .topK(let k, let t): return GenerationOptions(strategy: .sample, temperature: Float(t), topK: k, maxTokens: n, seed: seed)
        case .topP(let p, let t): return GenerationOptions(strategy: .sample, temperature: Float(t), topP: Float(p), maxTokens: n, seed: seed)
        case .beam(let w): return GenerationOptions(strategy: .beam, beamWidth: w, maxTokens: n, seed: seed)
        }
    }

    /// Runs a scenario's strategy (`stopAtEnd: false` lets the model write past its end-of-text token).
    func generate(_ s: ScenarioConfig, what: String, stopAtEnd: Bool = true) throws(UserError) -> GenerationResult {
        let prompt = try ids(s, what: what)
        do {
            return try model.generate(prompt: prompt, options: Self.options(s), endOfText: stopAtEnd ? eot : nil)
        } catch { throw UserError("\(what): scenario \"\(s.id)\": \(error.message)") }
    }

    /// Prompt and generated text; a final end-of-text token is not printed but counted.
    func continuation(_ s: ScenarioConfig, _ r: GenerationResult, language: String = "text") -> Continuation {
        let shown = r.ids.last == eot ? Array(r.ids.dropLast()) : r.ids
        let text = tokenizer.decode(shown)
        return Continuation(prompt: Format.code(s.prompt), continuation: Format.code(text),
                            block: Format.block(s.prompt + text, language: language), newTokens: r.ids.count,
                            endedWithEnd: r.ids.last == eot)
    }

    /// Per-step records of a greedy or sampled result.
    func steps(_ r: GenerationResult) -> [TokenStep] {
        r.steps.enumerated().map { i, s in
            let p = Double(s.probability)
            return TokenStep(step: i + 1, token: show(s.chosen), prob: Format.prob(p), logProb: Format.fixed(log(p)))
        }
    }
}
