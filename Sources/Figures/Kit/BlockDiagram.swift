/// Boxes on a grid joined by arrows, arrows labelled with dimensions (e.g. "T×C").
///
/// Boxes sit at (column, row) cells of an evenly divided frame, so a diagram is written as a
/// table of positions rather than coordinates.
///
/// ```swift
/// BlockDiagram(boxes: [.init(id: "emb", label: "Embedding", column: 0, row: 0),
///                      .init(id: "attn", label: "Attention", detail: "4 heads", column: 1, row: 0,
///                            emphasized: true)],
///              arrows: [.init(from: "emb", to: "attn", label: "T×64")])
/// ```
public struct BlockDiagram: Figure, Hashable, Sendable {
    /// A labelled box at a grid cell.
    public struct Box: Hashable, Sendable {
        public var id: String
        public var label: String
        public var detail: String?
        public var column: Int
        public var row: Int
        public var emphasized: Bool
        /// Creates a box.
        public init(id: String, label: String, detail: String? = nil, column: Int, row: Int,
                    emphasized: Bool = false)
        {
            self.id = id
            self.label = label
            self.detail = detail
            self.column = column
            self.row = row
            self.emphasized = emphasized
        }
    }

    /// An arrow from one box's edge to another's, with an optional label at its middle.
    public struct Arrow: Hashable, Sendable {
        public var from: String
        public var to: String
        public var label: String?
        /// Drawn as a path that leaves `from` on its right, runs down beside the boxes in between and
        /// enters `to` on its right: a skip connection (the residual stream going around a branch).
        public var bypass: Bool
        /// Creates an arrow.
        public init(from: String, to: String, label: String? = nil, bypass: Bool = false) {
            self.from = from
            self.to = to
            self.label = label
            self.bypass = bypass
        }
    }

    public var boxes: [Box]
    public var arrows: [Arrow]

    /// Creates a block diagram.
    public init(boxes: [Box], arrows: [Arrow] = []) {
        self.boxes = boxes
        self.arrows = arrows
    }

    /// The rectangle of every box inside `frame`.
    func layout(in frame: Rect) -> [String: Rect] {
        let cols = (boxes.map(\.column).max() ?? 0) + 1, rows = (boxes.map(\.row).max() ?? 0) + 1
        let cw = frame.width / Double(cols), rh = frame.height / Double(rows)
        // Boxes fill 70 % of their cell so arrows and their labels have room between them.
        let w = cw * 0.7, h = min(rh * 0.6, 64)
        var out: [String: Rect] = [:]
        for b in boxes {
            let cx = frame.minX + (Double(b.column) + 0.5) * cw, cy = frame.minY + (Double(b.row) + 0.5) * rh
            out[b.id] = Rect(x: cx - w / 2, y: cy - h / 2, width: w, height: h)
        }
        return out
    }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        let rects = layout(in: frame)
        var out: [Primitive] = []
        var labels: [Primitive] = []
        let cols = (boxes.map(\.column).max() ?? 0) + 1
        // The free strip right of a box (its cell's last 15 %) holds the bypass paths.
        let gutter = frame.width / Double(cols) * 0.15
        for a in arrows where a.bypass {
            guard let r0 = rects[a.from], let r1 = rects[a.to] else { continue }
            let out0 = Point(x: r0.maxX, y: r0.midY), x = r0.maxX + min(gutter * 0.6, 36), head = 7.0
            let p1 = Point(x: r1.maxX, y: r1.midY), shaft = Point(x: p1.x + head, y: p1.y)
            let path = Path.polyline([out0, Point(x: x, y: out0.y), Point(x: x, y: p1.y), shaft])
            out.append(.path(path, stroke: Stroke(color: theme.highlight, width: 1.5)))
            out.append(.path(.polygon([p1, Point(x: shaft.x, y: shaft.y - head * 0.45), Point(x: shaft.x, y: shaft.y + head * 0.45)]),
                             fill: theme.highlight))
            if let text = a.label {
                let mid = Point(x: x, y: (out0.y + p1.y) / 2)
                let s = Fonts.elide(text, toWidth: max(20, gutter * 2 - 4), size: theme.tickSize)
                let w = Fonts.width(s, size: theme.tickSize) + 6, h = theme.tickSize * 1.4
                labels.append(.rect(Rect(x: mid.x - w / 2, y: mid.y - h / 2, width: w, height: h),
                                    fill: theme.background, cornerRadius: 2))
                labels.append(.text(Label(s, at: mid, size: theme.tickSize, color: theme.highlight,
                                          horizontal: .center, vertical: .middle)))
            }
        }
        for a in arrows where !a.bypass {
            guard let r0 = rects[a.from], let r1 = rects[a.to] else { continue }
            let p0 = edgePoint(r0, toward: r1.center), p1 = edgePoint(r1, toward: r0.center)
            let dx = p1.x - p0.x, dy = p1.y - p0.y, len = max(1e-9, (dx * dx + dy * dy).squareRoot())
            let ux = dx / len, uy = dy / len, head = 7.0
            let shaft = Point(x: p1.x - ux * head, y: p1.y - uy * head)
            out.append(.path(.line(from: p0, to: shaft), stroke: Stroke(color: theme.muted, width: 1.25)))
            out.append(.path(.polygon([p1, Point(x: shaft.x - uy * head * 0.45, y: shaft.y + ux * head * 0.45),
                                       Point(x: shaft.x + uy * head * 0.45, y: shaft.y - ux * head * 0.45)]),
                             fill: theme.muted))
            if let text = a.label {
                let mid = Point(x: (p0.x + p1.x) / 2, y: (p0.y + p1.y) / 2)
                let s = Fonts.elide(text, toWidth: max(len, 40), size: theme.tickSize)
                let w = Fonts.width(s, size: theme.tickSize) + 6, h = theme.tickSize * 1.4
                // A background chip keeps the label readable over the arrow.
                labels.append(.rect(Rect(x: mid.x - w / 2, y: mid.y - h / 2, width: w, height: h),
                                    fill: theme.background, cornerRadius: 2))
                labels.append(.text(Label(s, at: mid, size: theme.tickSize, color: theme.muted,
                                          horizontal: .center, vertical: .middle)))
            }
        }
        for b in boxes {
            guard let r = rects[b.id] else { continue }
            let fill = b.emphasized ? theme.highlight.withAlpha(0.16) : theme.panel
            let stroke = Stroke(color: b.emphasized ? theme.highlight : theme.grid, width: b.emphasized ? 1.5 : 1)
            out.append(.rect(r, fill: fill, stroke: stroke, cornerRadius: 5))
            let fs = min(theme.labelSize, r.height * 0.3)
            let title = Fonts.elide(b.label, toWidth: r.width - 8, size: fs, weight: .bold)
            if let detail = b.detail {
                out.append(.text(Label(title, at: Point(x: r.midX, y: r.midY - 1), size: fs, weight: .bold,
                                       color: theme.foreground, horizontal: .center, vertical: .bottom)))
                let d = Fonts.elide(detail, toWidth: r.width - 8, size: theme.tickSize)
                out.append(.text(Label(d, at: Point(x: r.midX, y: r.midY + 1), size: theme.tickSize,
                                       color: theme.muted, horizontal: .center, vertical: .top)))
            } else {
                out.append(.text(Label(title, at: r.center, size: fs, weight: .bold, color: theme.foreground,
                                       horizontal: .center, vertical: .middle)))
            }
        }
        return out + labels
    }

    /// Where the ray from `r`'s centre toward `p` leaves `r`.
    private func edgePoint(_ r: Rect, toward p: Point) -> Point {
        let dx = p.x - r.midX, dy = p.y - r.midY
        guard dx != 0 || dy != 0 else { return r.center }
        let tx = dx == 0 ? Double.infinity : (r.width / 2) / abs(dx)
        let ty = dy == 0 ? Double.infinity : (r.height / 2) / abs(dy)
        let t = min(tx, ty)
        return Point(x: r.midX + dx * t, y: r.midY + dy * t)
    }
}
