/// A stage figure's page: the title (bold) and a one-line subtitle with the real numbers at the
/// top, the body below. Every stage figure is laid out on one, so titles line up across a lesson.
///
///     let page = Page(theme: theme, title: "掩码注意力", subtitle: "第 0 层 · 第 0 头")
///     let drawing = page.drawing(alt: alt, items: heatmap.draw(in: page.body, theme: theme))
struct Page {
    var size: Size = .slide16x9
    var theme: Theme
    var title: String
    var subtitle: String?

    /// Where the content goes, below the title block and inside the margin.
    var body: Rect {
        let m = theme.margin
        let top = m + theme.titleSize * 1.25 + (subtitle == nil ? 0 : theme.labelSize * 1.45) + theme.gap
        return Rect(x: m, y: top, width: size.width - 2 * m, height: size.height - top - m)
    }

    /// The page with `items` (drawn in page coordinates) under the title.
    func drawing(alt: String, items: [Primitive]) -> Drawing {
        let m = theme.margin, w = size.width - 2 * m
        var head: [Primitive] = [.text(Label(Fonts.elide(title, toWidth: w, size: theme.titleSize, weight: .bold),
                                             at: Point(x: m, y: m), size: theme.titleSize, weight: .bold,
                                             color: theme.foreground, vertical: .top))]
        if let subtitle {
            head.append(.text(Label(Fonts.elide(subtitle, toWidth: w, size: theme.labelSize),
                                    at: Point(x: m, y: m + theme.titleSize * 1.25), size: theme.labelSize,
                                    color: theme.muted, vertical: .top)))
        }
        return Drawing(size: size, title: title, description: alt, background: theme.background, items: head + items)
    }

    /// The page cropped to what is drawn on it: the content moved to the top left margin, the canvas
    /// as wide as the content or the title block (at least `minimumWidth`) and as tall as the
    /// content, plus the margin. For figures whose content is capped in size (a few large cells), so
    /// a page that scales the figure to its width does not shrink their labels into empty space.
    func fittedDrawing(alt: String, items: [Primitive], minimumWidth: Double = 480) -> Drawing {
        guard let b = Self.bounds(of: items) else { return drawing(alt: alt, items: items) }
        let m = theme.margin
        let titleW = max(Fonts.width(title, size: theme.titleSize, weight: .bold), subtitle.map { Fonts.width($0, size: theme.labelSize) } ?? 0)
        let width = min(size.width, max(minimumWidth, titleW + 2 * m, b.width + 2 * m))
        // Centre the content in the new width when the title is wider, else start it at the margin;
        // move it up to just under the title block.
        let dx = m + max(0, (width - 2 * m - b.width) / 2) - b.minX, dy = min(0, body.minY - b.minY)
        var fitted = self
        fitted.size = Size(width: width, height: min(size.height, b.maxY + dy + m))
        return fitted.drawing(alt: alt, items: [.group(Group(translation: Point(x: dx, y: dy), items: items))])
    }

    /// The box around every primitive (labels by their text extent, paths by their points, stroke
    /// widths ignored), group translations applied; nil for no primitives.
    static func bounds(of items: [Primitive], offset: Point = .zero) -> Rect? {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        func add(_ r: Rect) {
            minX = min(minX, r.minX + offset.x); maxX = max(maxX, r.maxX + offset.x)
            minY = min(minY, r.minY + offset.y); maxY = max(maxY, r.maxY + offset.y)
        }
        for item in items {
            switch item {
            case .rect(let r, _, _, _): add(r)
            case .circle(let c, let radius, _, _): add(Rect(x: c.x - radius, y: c.y - radius, width: 2 * radius, height: 2 * radius))
            case .text(let l): add(l.bounds)
            case .path(let path, _, _):
                for e in path.elements {
                    switch e {
                    case .move(let p), .line(let p): add(Rect(x: p.x, y: p.y, width: 0, height: 0))
                    case .curve(let a, let b, let c): for p in [a, b, c] { add(Rect(x: p.x, y: p.y, width: 0, height: 0)) }
                    case .close: break
                    }
                }
            case .group(let g): if let r = bounds(of: g.items, offset: offset + g.translation) { add(r) }
            }
        }
        return minX.isFinite ? Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY) : nil
    }
}

/// Splitting a rectangle into panels.
enum Panels {
    /// `weights.count` side-by-side columns with `gap` between, widths in proportion to `weights`.
    static func columns(_ r: Rect, _ weights: [Double], gap: Double) -> [Rect] {
        let total = weights.reduce(0, +), free = r.width - gap * Double(weights.count - 1)
        var x = r.minX
        return weights.map { w in
            let width = free * w / total
            defer { x += width + gap }
            return Rect(x: x, y: r.minY, width: width, height: r.height)
        }
    }

    /// `n` equal columns.
    static func columns(_ r: Rect, count n: Int, gap: Double) -> [Rect] {
        columns(r, Array(repeating: 1, count: n), gap: gap)
    }

    /// A top row `top` high (at most `maxShare` of the frame) and the rest below it, `gap` apart:
    /// a panel sized to its content above one that takes what is left.
    static func top(_ r: Rect, height top: Double, maxShare: Double, gap: Double) -> (top: Rect, rest: Rect) {
        let h = min(top, r.height * maxShare)
        return (Rect(x: r.minX, y: r.minY, width: r.width, height: h),
                Rect(x: r.minX, y: r.minY + h + gap, width: r.width, height: max(1, r.height - h - gap)))
    }

    /// Stacked rows, heights in proportion to `weights`.
    static func rows(_ r: Rect, _ weights: [Double], gap: Double) -> [Rect] {
        let total = weights.reduce(0, +), free = r.height - gap * Double(weights.count - 1)
        var y = r.minY
        return weights.map { w in
            let height = free * w / total
            defer { y += height + gap }
            return Rect(x: r.minX, y: y, width: r.width, height: height)
        }
    }
}

/// A figure with a bold heading above it: one panel of a multi-panel stage figure.
struct Titled: Figure {
    var title: String
    var content: any Figure
    /// Heading colour; nil is the theme's foreground.
    var color: Color? = nil

    /// The heading's height above the content.
    static func headingHeight(_ theme: Theme) -> Double { theme.labelSize * 1.5 }

    func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        let fs = theme.labelSize, h = Self.headingHeight(theme)
        let head = Label(Fonts.elide(title, toWidth: frame.width, size: fs, weight: .bold),
                         at: Point(x: frame.midX, y: frame.minY), size: fs, weight: .bold,
                         color: color ?? theme.foreground, horizontal: .center, vertical: .top)
        let rest = Rect(x: frame.minX, y: frame.minY + h, width: frame.width, height: max(1, frame.height - h))
        return [.text(head)] + content.draw(in: rest, theme: theme)
    }
}

/// Lines of plain text, top-aligned and elided to the frame (notes beside a diagram).
struct TextBlock: Figure {
    var lines: [String]
    var size: Double? = nil
    var bold: Set<Int> = []

    func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        let fs = size ?? theme.labelSize, line = fs * 1.45
        var out: [Primitive] = []
        for (i, text) in lines.enumerated() {
            let y = frame.minY + Double(i) * line
            guard y + line <= frame.maxY + 0.5 else { break }
            let weight: FontWeight = bold.contains(i) ? .bold : .regular
            out.append(.text(Label(Fonts.elide(text, toWidth: frame.width, size: fs, weight: weight),
                                   at: Point(x: frame.minX, y: y), size: fs, weight: weight,
                                   color: theme.foreground, vertical: .top)))
        }
        return out
    }
}

/// Primitives already laid out for a frame, so hand-drawn parts compose with kit figures.
struct Drawn: Figure {
    var body: (Rect, Theme) -> [Primitive]
    func draw(in frame: Rect, theme: Theme) -> [Primitive] { body(frame, theme) }
}
