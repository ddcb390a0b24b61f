import TinyGPT

// Draws what `ropeForward` (Sources/Kernels/RoPE.swift) does to one (2i, 2i+1) pair of a
// query and a key: a rotation by p·θ_i, so that q·k depends only on the offset between positions.

/// A 2-D pair of a real query and key, and the RoPE angle step of that pair.
struct RotaryPair {
    var q: (Double, Double)
    var k: (Double, Double)
    /// θ_i = 10000^(−2i/HS), radians per position.
    var theta: Double
    var pair: Int
    var positions: Int

    func rotated(_ v: (Double, Double), _ p: Int) -> (Double, Double) {
        let a = Double(p) * theta
        return (v.0 * cos(a) - v.1 * sin(a), v.0 * sin(a) + v.1 * cos(a))
    }

    /// rot(q, m) · rot(k, n) for m, n in 0..<positions.
    var scores: [[Double]] {
        (0..<positions).map { m in
            (0..<positions).map { n in
                let a = rotated(q, m), b = rotated(k, n)
                return a.0 * b.0 + a.1 * b.1
            }
        }
    }
}

extension StageFigures {
    /// q and k rotated at positions 0…n−1 as arrows, and the score table whose diagonals are equal.
    static func ropeRotation(_ r: RotaryPair, source: String, theme: Theme, words: Words) -> StageFigure {
        let page = Page(theme: theme, title: words("RoPE：旋转一对 q/k 维度", "RoPE: rotating one q/k pair"),
                        subtitle: words("第 \(r.pair) 对维度，θ = \(NumberFormat.short(r.theta, digits: 3)) 弧度/位置；向量取自 \(source)",
                                        "pair \(r.pair), θ = \(NumberFormat.short(r.theta, digits: 3)) rad per position; vectors from \(source)"))
        let panels = Panels.columns(page.body, [1, 1, 1.15], gap: theme.gap * 2)
        let limit = max(hypot(r.q.0, r.q.1), hypot(r.k.0, r.k.1), 1e-9)
        func dial(_ v: (Double, Double), _ name: String) -> Drawn {
            Drawn { f, theme in
                let radius = min(f.width, f.height) / 2 - theme.tickSize * 2.5
                let c = Point(x: f.midX, y: f.midY)
                var out: [Primitive] = [
                    .circle(center: c, radius: radius, stroke: Stroke(color: theme.grid, width: 0.75)),
                    .path(.line(from: Point(x: c.x - radius, y: c.y), to: Point(x: c.x + radius, y: c.y)), stroke: Stroke(color: theme.grid, width: 0.5)),
                    .path(.line(from: Point(x: c.x, y: c.y - radius), to: Point(x: c.x, y: c.y + radius)), stroke: Stroke(color: theme.grid, width: 0.5)),
                ]
                for p in 0..<r.positions {
                    let w = r.rotated(v, p)
                    // y up on the page, as in a maths diagram.
                    let tip = Point(x: c.x + w.0 / limit * radius, y: c.y - w.1 / limit * radius)
                    let color = theme.sequential.color(at: 0.15 + 0.7 * Double(p) / Double(max(1, r.positions - 1)))
                    out.append(.path(.line(from: c, to: tip), stroke: Stroke(color: color, width: 2)))
                    out.append(.circle(center: tip, radius: 2.5, fill: color))
                    let len = hypot(tip.x - c.x, tip.y - c.y)
                    let ux = len > 0 ? (tip.x - c.x) / len : 1, uy = len > 0 ? (tip.y - c.y) / len : 0
                    out.append(.text(Label("\(name)@\(p)", at: Point(x: tip.x + ux * 10, y: tip.y + uy * 10), size: theme.tickSize,
                                           color: theme.foreground, horizontal: .center, vertical: .middle)))
                }
                return out
            }
        }
        var items = Titled(title: words("q 在位置 0…\(r.positions - 1)", "q at positions 0…\(r.positions - 1)"), content: dial(r.q, "q")).draw(in: panels[0], theme: theme)
        items += Titled(title: words("k 在位置 0…\(r.positions - 1)", "k at positions 0…\(r.positions - 1)"), content: dial(r.k, "k")).draw(in: panels[1], theme: theme)
        let s = r.scores
        items += Titled(title: words("rot(q,m)·rot(k,n)：只看 m − n", "rot(q,m)·rot(k,n) depends on m − n only"),
                        content: Heatmap(values: s, rowLabels: (0..<r.positions).map { "m=\($0)" }, columnLabels: (0..<r.positions).map { "n=\($0)" },
                                         coloring: .diverging(), colorBarTitle: "q·k", digits: 2))
            .draw(in: panels[2], theme: theme)
        let caption = words(
            "同一对 q、k 每前进一个位置就旋转 \(NumberFormat.short(r.theta, digits: 3)) 弧度；长度不变，所以右表每条对角线上的分数相同（如 m=n 时都是 \(Num.fixed(s[0][0], 3))）：注意力只看相对位置。",
            "Each position rotates the same q and k pair by \(NumberFormat.short(r.theta, digits: 3)) rad; lengths stay, so every diagonal of the table holds one score (m = n gives \(Num.fixed(s[0][0], 3)) throughout): attention sees only relative position.")
        let alt = words("两个圆：q 和 k 在各位置旋转后的箭头；一个分数表，对角线上数值相同", "Two dials of q and k rotated per position; a score table whose diagonals are constant")
        return StageFigure(.ropeRotation, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func ropeRotationFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let ids = try promptIDs(request)
        let HS = config.headSize
        let pair = try p.int("pair", default: 0, in: 0...(HS / 2 - 1))
        let n = try p.int("positions", default: 6, in: 2...12)
        let t = trace(ids)
        // This model may not use RoPE; the rotation is applied to its real layer-0 head-0 q and k.
        let q = t[TraceName.q(layer: 0)]!, k = t[TraceName.k(layer: 0)]!
        let last = ids.count - 1
        let pairQ = (Double(q[last, 0, 2 * pair]), Double(q[last, 0, 2 * pair + 1]))
        let pairK = (Double(k[0, 0, 2 * pair]), Double(k[0, 0, 2 * pair + 1]))
        let theta = pow(10000, -2 * Double(pair) / Double(HS))
        let source = words("第 0 层第 0 头：「\(labels([ids[last]])[0])」的 q、「\(labels([ids[0]])[0])」的 k",
                           "layer 0 head 0: q of \"\(labels([ids[last]])[0])\", k of \"\(labels([ids[0]])[0])\"")
        return StageFigures.ropeRotation(RotaryPair(q: pairQ, k: pairK, theta: theta, pair: pair, positions: n), source: source,
                                         theme: theme, words: words)
    }
}

import Foundation
