import Foundation
import TinyGPT
import Figures

extension EngineRun {
    /// Ch. 5's projection: block `layer` of figure "qkv" on the prompt (`QKVProjection`), with the
    /// product q·k of the second token and the first that the figure prints.
    func projection(_ c: ChapterView, trace: Trace) throws(UserError) -> Chapter5Values.Projection {
        let cfg = bundle.model.config
        let layer = try c.int("qkv", "layer", 0), head = try c.int("qkv", "head", 0)
        guard (0..<cfg.layers).contains(layer), (0..<cfg.heads).contains(head) else {
            throw c.fail("figure \"qkv\": layer \(layer), head \(head) is out of range: allowed layer 0...\(cfg.layers - 1), head 0...\(cfg.heads - 1)")
        }
        let p = QKVProjection(trace: trace, layer: layer), query = min(1, p.positions - 1)
        return .init(layer: layer, head: head, width: p.width, heads: p.heads, headSize: p.headSize, positions: p.positions,
                     query: probe.show(trace.ids[query]), key: probe.show(trace.ids[0]),
                     dot: Format.fixed(p.dot(query: query, key: 0, head: head), 3))
    }

    /// Ch. 5's √d_k: figure "scaling"'s prompt and block (`ScoreScaling`), means over the heads, as the figure prints them.
    func scaling(_ c: ChapterView) throws(UserError) -> Chapter5Values.Scaling {
        let s = try c.scenario("scaling")
        let ids = try probe.ids(s, what: c.what)
        let layer = try c.int("scaling", "layer", 0)
        guard (0..<bundle.model.config.layers).contains(layer) else {
            throw c.fail("figure \"scaling\": layer \(layer) is out of range: allowed 0...\(bundle.model.config.layers - 1)")
        }
        guard ids.count >= 2 else { throw c.fail("scenario \"scaling\" needs at least 2 tokens") }
        let m = ScoreScaling(projection: QKVProjection(trace: bundle.model.forward(ids, trace: true).trace!, layer: layer))
        let show = StageFigures.scalingText, d = m.headSize
        return .init(prompt: Format.code(s.prompt), tokens: ids.count, layer: layer, pairs: m.heads.first?.pairs ?? 0, headSize: d,
                     root: NumberFormat.short(Double(d).squareRoot(), digits: 3), rawVariance: show(m.pooled.rawVariance),
                     scaledVariance: show(m.pooled.scaledVariance), rawPeak: show(m.pooled.rawPeak), scaledPeak: show(m.pooled.scaledPeak))
    }
}
