/// A search tree drawn left to right: one column per step, nodes with their token and score,
/// kept beams solid, pruned ones dashed and faded, and the winning path (`best`) thick and
/// highlighted apart from the other kept beams.
///
/// Leaves are stacked top to bottom in depth-first order; a parent sits at the middle of its
/// children, so edges never cross.
///
/// ```swift
/// BeamTree(nodes: [.init(id: 0, parent: nil, token: "The", score: 0, kept: true),
///                  .init(id: 1, parent: 0, token: "␣cat", score: -0.4, kept: true),
///                  .init(id: 2, parent: 0, token: "␣dog", score: -1.9, kept: false)])
/// ```
public struct BeamTree: Figure, Hashable, Sendable {
    /// One node: a token appended to its parent's sequence, with the sequence's score.
    public struct Node: Hashable, Sendable {
        public var id: Int
        public var parent: Int?
        public var token: String
        public var score: Double
        public var kept: Bool
        /// On the path of the sequence the search returns.
        public var best: Bool
        /// Creates a node.
        public init(id: Int, parent: Int?, token: String, score: Double, kept: Bool, best: Bool = false) {
            self.best = best
            self.id = id
            self.parent = parent
            self.token = token
            self.score = score
            self.kept = kept
        }
    }

    public var nodes: [Node]
    /// Optional column headers ("step 1", …), one per depth.
    public var stepTitles: [String]

    /// Creates a beam tree; nodes are drawn in the order given among siblings.
    public init(nodes: [Node], stepTitles: [String] = []) {
        self.nodes = nodes
        self.stepTitles = stepTitles
    }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        guard !nodes.isEmpty else { return [] }
        var children: [Int: [Int]] = [:]
        let ids = Set(nodes.map(\.id))
        var roots: [Int] = []
        for n in nodes {
            if let p = n.parent, ids.contains(p) { children[p, default: []].append(n.id) } else { roots.append(n.id) }
        }
        let byId = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var depth: [Int: Int] = [:], slot: [Int: Double] = [:]
        var leaves = 0.0
        func place(_ id: Int, _ d: Int) {
            depth[id] = d
            let kids = children[id] ?? []
            if kids.isEmpty { slot[id] = leaves; leaves += 1; return }
            for k in kids { place(k, d + 1) }
            slot[id] = (slot[kids.first!]! + slot[kids.last!]!) / 2
        }
        for r in roots { place(r, 0) }
        let levels = (depth.values.max() ?? 0) + 1
        let fs = theme.tickSize
        let header = stepTitles.isEmpty ? 0 : theme.labelSize * 1.5
        let colW = frame.width / Double(levels)
        let rowH = (frame.height - header) / max(1, leaves)
        let boxW = min(colW * 0.62, 110), boxH = min(max(rowH * 0.8, fs * 1.2), fs * 3.2)
        let twoLines = boxH >= fs * 2.6

        func center(_ id: Int) -> Point {
            Point(x: frame.minX + (Double(depth[id]!) + 0.5) * colW,
                  y: frame.minY + header + (slot[id]! + 0.5) * rowH)
        }
        var out: [Primitive] = []
        for (i, t) in stepTitles.enumerated() where i < levels {
            out.append(.text(Label(Fonts.elide(t, toWidth: colW - 4, size: theme.labelSize),
                                   at: Point(x: frame.minX + (Double(i) + 0.5) * colW, y: frame.minY),
                                   size: theme.labelSize, color: theme.muted, horizontal: .center, vertical: .top)))
        }
        // In print the highlight is black like the first series: other kept beams go to another series there.
        let other = theme.seriesColor(0) == theme.highlight ? theme.seriesColor(2) : theme.seriesColor(0)
        // Winning edges last, so they lie on top.
        for n in nodes.sorted(by: { ($0.best ? 1 : 0) < ($1.best ? 1 : 0) }) {
            guard let p = n.parent, byId[p] != nil else { continue }
            let a = center(p), b = center(n.id)
            let start = Point(x: a.x + boxW / 2, y: a.y), end = Point(x: b.x - boxW / 2, y: b.y)
            let midX = (start.x + end.x) / 2
            let path = Path([.move(start), .curve(Point(x: midX, y: start.y), Point(x: midX, y: end.y), end)])
            out.append(.path(path, stroke: n.best ? Stroke(color: theme.highlight, width: 4)
                : n.kept ? Stroke(color: other, width: 1.5)
                : Stroke(color: theme.excluded, width: 1, dash: [3, 2])))
        }
        for n in nodes {
            let c = center(n.id)
            let r = Rect(x: c.x - boxW / 2, y: c.y - boxH / 2, width: boxW, height: boxH)
            let stroke = n.best ? Stroke(color: theme.highlight, width: 2.5)
                : n.kept ? Stroke(color: other, width: 1.25) : Stroke(color: theme.excluded, width: 1, dash: [3, 2])
            out.append(.rect(r, fill: n.best ? theme.highlight.withAlpha(0.22) : n.kept ? other.withAlpha(0.08) : theme.background,
                             stroke: stroke, cornerRadius: 4))
            let textColor = n.kept ? theme.foreground : theme.muted
            let weight: FontWeight = n.best ? .bold : .regular
            let token = TokenText.display(n.token)
            let score = NumberFormat.short(n.score, digits: 3)
            if twoLines {
                out.append(.text(Label(Fonts.elide(token, toWidth: boxW - 6, size: fs, weight: weight),
                                       at: Point(x: c.x, y: c.y), size: fs, weight: weight,
                                       color: textColor, horizontal: .center, vertical: .bottom)))
                out.append(.text(Label(score, at: Point(x: c.x, y: c.y + 1), size: fs * 0.9, weight: weight,
                                       color: n.best ? theme.foreground : theme.muted, horizontal: .center, vertical: .top)))
            } else {
                // The score is never shortened: the token gives up the room it needs.
                let scoreW = Fonts.width(score, size: fs, weight: weight)
                let t = Fonts.elide(token, toWidth: max(fs, boxW - 10 - scoreW - fs * 0.6), size: fs, weight: weight)
                let both = t + "  " + score
                out.append(.text(Label(both, at: c, size: fs, weight: weight,
                                       color: textColor, horizontal: .center, vertical: .middle)))
            }
        }
        return out
    }
}
