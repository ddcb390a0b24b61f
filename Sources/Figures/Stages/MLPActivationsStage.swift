import Foundation
import TinyGPT

// Draws what `MLPActivations` (Sources/TinyGPT/Trace/MLPActivations.swift) and `NeuronScan`
// (Sources/TinyGPT/Trace/NeuronScan.swift) compute: one block's 4C GELU outputs per prompt
// token, and for its strongest neurons the training tokens that drive them highest.

/// The values the `mlpActivations` figure draws, all from one run.
struct NeuronFigureData {
    /// One of the strongest neurons on the prompt.
    struct Neuron {
        var index: Int
        /// Its largest activation on the prompt, and the token there.
        var promptPeak: Double
        var promptToken: String
        /// The training tokens that excite it most, strongest first: the tokens before it in its window, the token, the activation.
        var top: [(context: [String], token: String, activation: Double)]
    }

    var layer: Int
    var width: Int
    var tokens: [String]
    /// (tokens, 4C) GELU outputs.
    var activations: [[Double]]
    var positiveShare: Double
    var minimum: Double
    var neurons: [Neuron]
    var tokensScanned: Int
    var windows: Int

    var hidden: Int { activations.first?.count ?? 0 }
}

extension StageFigures {
    /// Top: the prompt's tokens × the block's 4C neurons, GELU outputs on a diverging scale, the
    /// strongest neurons marked. Bottom: each of those neurons with its activation on the
    /// prompt and the training tokens that drive it highest.
    static func mlpActivations(_ d: NeuronFigureData, theme: Theme, words: Words) -> StageFigure {
        let T = d.tokens.count, H = d.hidden, C = d.width, k = d.neurons.count
        let page = Page(theme: theme, title: words("MLP 的神经元（第 \(d.layer) 块）", "The MLP's neurons (block \(d.layer))"),
                        subtitle: words("每个位置各自：\(C) 维 → ln_2 → ×W_fc（\(C)×\(H)）→ GELU，得到 \(H) 个激活；再 ×W_proj 回到 \(C) 维",
                                        "each position on its own: \(C) numbers → ln_2 → ×W_fc (\(C)×\(H)) → GELU gives \(H) activations; ×W_proj takes them back to \(C)"))
        // The cards take what their lines need; the grid gets the rest, and the page is cropped
        // below the cards (a short prompt's grid is capped at 24 pt rows).
        let body = page.body, gap = theme.gap * 2, titleH = theme.labelSize * 1.5
        let cardsH = titleH + theme.tickSize * 1.55 * Double(2 + (d.neurons.map(\.top.count).max() ?? 0)) + 2
        let heatH = min(body.height - cardsH - gap, titleH + neuronGridHeight(T, available: body.height - cardsH - gap - titleH, theme: theme))
        let heat = Drawn { frame, theme in neuronGrid(d, frame: frame, theme: theme, words: words) }
        let share = Num.percent(d.positiveShare)
        var items = Titled(title: words("GELU 激活：\(T) 个 token × \(H) 个神经元，\(share) 大于 0", "GELU activations: \(T) tokens × \(H) neurons, \(share) above 0"), content: heat)
            .draw(in: Rect(x: body.minX, y: body.minY, width: body.width, height: heatH), theme: theme)
        let columns = Panels.columns(Rect(x: body.minX, y: body.minY + heatH + gap, width: body.width, height: cardsH), count: max(k, 1), gap: gap)
        let barTop = d.neurons.flatMap { $0.top.map(\.activation) }.max() ?? 1
        for (i, n) in d.neurons.enumerated() {
            let card = Drawn { frame, theme in neuronCard(n, frame: frame, barTop: barTop, theme: theme, words: words) }
            items += Titled(title: words("神经元 \(n.index)", "neuron \(n.index)"), content: card, color: theme.highlight)
                .draw(in: columns[i], theme: theme)
        }
        let first = d.neurons[0], best = first.top[0]
        let caption = words(
            "第 \(d.layer) 块的 MLP 把 \(T) 个位置各自从 \(C) 维放宽到 \(H) 维（4 倍）并经过 GELU：\(T * H) 个激活中 \(share) 大于 0，其余被压到 0 附近（最小 \(Num.fixed(d.minimum, 3))）。在提示上最强的是神经元 \(first.index)（「\(first.promptToken)」处 \(Num.fixed(first.promptPeak))）；在 \(Num.grouped(d.tokensScanned)) 个训练 token 中，它对「\(best.token)」最强（\(Num.fixed(best.activation))）。",
            "Block \(d.layer)'s MLP widens each of the \(T) positions from \(C) to \(H) numbers (4×) and applies GELU: \(share) of the \(Num.grouped(T * H)) activations are above 0, the rest are squashed towards 0 (the smallest is \(Num.fixed(d.minimum, 3))). The strongest neuron on the prompt is \(first.index) (\(Num.fixed(first.promptPeak)) at \"\(first.promptToken)\"); over \(Num.grouped(d.tokensScanned)) tokens of training text it fires hardest on \"\(best.token)\" (\(Num.fixed(best.activation))).")
        let list = d.neurons.map { n in
            words("神经元 \(n.index)：", "neuron \(n.index): ") + n.top.map { "\($0.token) \(Num.fixed($0.activation))" }.joined(separator: words("、", ", "))
        }.joined(separator: words("；", "; "))
        let alt = words("热图：行是提示的 \(T) 个 token，列是第 \(d.layer) 块的 \(H) 个神经元，红为正、蓝为负；下方是在提示上最强的 \(k) 个神经元，以及训练文本中最能激活它们的 token：",
                        "Heat map: rows are the prompt's \(T) tokens, columns block \(d.layer)'s \(H) neurons, red positive, blue negative; below, the \(k) strongest neurons on the prompt and the training tokens that excite them most: ")
            + list
        return StageFigure(.mlpActivations, page: page, caption: caption, alt: alt, items: items, fitted: true)
    }

    /// The tokens × neurons grid with row labels, neuron ticks, the strongest neurons marked
    /// above their columns (labels pushed apart where neighbours crowd), and a colour bar.
    static func neuronGrid(_ d: NeuronFigureData, frame: Rect, theme: Theme, words: Words) -> [Primitive] {
        let T = d.tokens.count, H = d.hidden
        guard T > 0, H > 0 else { return [] }
        let fs = theme.tickSize, line = fs * 1.3, pad = 4.0
        let (markH, axisH) = neuronGridMargins(theme)
        let scale = ColorScale.diverging(values: d.activations.flatMap { $0 }, colormap: theme.diverging)
        let bar = ColorBar(scale: scale, title: words("激活", "activation"))
        let barW = bar.width(theme: theme)
        let labelW = min(d.tokens.map { Fonts.width($0, size: fs) }.max() ?? 0, frame.width * 0.15)
        let gx = frame.minX + labelW + pad, gy = frame.minY + markH
        let gridW = frame.width - labelW - pad - theme.gap * 2 - barW
        let cellW = gridW / Double(H), cellH = min(max(1, frame.height - markH - axisH) / Double(T), 24)
        let gridH = cellH * Double(T)
        var out: [Primitive] = []
        // Each cell overlaps its right and lower neighbour by a hair, so anti-aliasing leaves no
        // background-coloured seams between 3-point columns.
        for (t, row) in d.activations.enumerated() {
            for (n, v) in row.enumerated() {
                let w = cellW + (n < H - 1 ? 0.5 : 0), h = cellH + (t < T - 1 ? 0.5 : 0)
                out.append(.rect(Rect(x: gx + Double(n) * cellW, y: gy + Double(t) * cellH, width: w, height: h), fill: scale.color(for: v)))
            }
        }
        out.append(.rect(Rect(x: gx, y: gy, width: gridW, height: gridH), stroke: Stroke(color: theme.grid, width: 0.75)))
        for t in Thinning.indices(count: T, spacing: cellH, minSpacing: line) {
            out.append(.text(Label(Fonts.elide(d.tokens[t], toWidth: labelW, size: fs), at: Point(x: gx - pad, y: gy + (Double(t) + 0.5) * cellH),
                                   size: fs, color: theme.foreground, horizontal: .trailing, vertical: .middle)))
        }
        // Neuron ticks every quarter, and the axis title.
        for n in stride(from: 0, to: H, by: max(1, H / 4)) + [H - 1] {
            let x = gx + (Double(n) + 0.5) * cellW
            out.append(.path(Path([.move(Point(x: x, y: gy + gridH)), .line(Point(x: x, y: gy + gridH + 3))]), stroke: Stroke(color: theme.muted, width: 0.75)))
            out.append(.text(Label(String(n), at: Point(x: x, y: gy + gridH + 4), size: fs, color: theme.muted, horizontal: .center, vertical: .top)))
        }
        out.append(.text(Label(words("神经元编号（共 \(H) 个）", "neuron (\(H) in all)"), at: Point(x: gx + gridW / 2, y: gy + gridH + 4 + line),
                               size: fs, color: theme.muted, horizontal: .center, vertical: .top)))
        // The strongest neurons: their columns outlined, their numbers above, pushed apart.
        let marked = d.neurons.map { (x: gx + (Double($0.index) + 0.5) * cellW, text: String($0.index)) }.sorted { $0.x < $1.x }
        var centres: [Double] = []
        for (i, m) in marked.enumerated() {
            let w = Fonts.width(m.text, size: fs)
            var c = m.x
            if i > 0 { c = max(c, centres[i - 1] + (Fonts.width(marked[i - 1].text, size: fs) + w) / 2 + 3) }
            centres.append(c)
        }
        if let last = marked.last, let c = centres.last {
            let excess = c + Fonts.width(last.text, size: fs) / 2 - (gx + gridW)
            if excess > 0 { centres = centres.map { $0 - excess } }
        }
        if let first = marked.first, let c = centres.first {
            let short = gx - (c - Fonts.width(first.text, size: fs) / 2)
            if short > 0 { centres = centres.map { $0 + short } }
        }
        for (m, c) in zip(marked, centres) {
            // Outlined just outside the column, so its own cells stay visible.
            out.append(.rect(Rect(x: m.x - cellW / 2 - 1, y: gy - 1, width: cellW + 2, height: gridH + 2), stroke: Stroke(color: theme.highlight, width: 1)))
            out.append(.path(Path([.move(Point(x: c, y: gy - 7)), .line(Point(x: m.x, y: gy - 1))]), stroke: Stroke(color: theme.highlight, width: 0.75)))
            out.append(.text(Label(m.text, at: Point(x: c, y: gy - 7), size: fs, weight: .bold, color: theme.highlight, horizontal: .center, vertical: .bottom)))
        }
        let barH = max(gridH, min(frame.maxY - gy, 96))
        out += bar.draw(in: Rect(x: gx + gridW + theme.gap * 2, y: gy, width: barW, height: barH), theme: theme)
        return out
    }

    /// Room above the grid (neuron numbers) and below it (ticks, axis title).
    static func neuronGridMargins(_ theme: Theme) -> (above: Double, below: Double) {
        let line = theme.tickSize * 1.3
        return (line + 8, 2 * line + 4)
    }

    /// The height `neuronGrid` fills for `T` rows when given `available` points.
    static func neuronGridHeight(_ T: Int, available: Double, theme: Theme) -> Double {
        let (above, below) = neuronGridMargins(theme)
        return above + below + Double(T) * min(max(1, available - above - below) / Double(max(1, T)), 24)
    }

    /// One neuron: its peak on the prompt, then its strongest training tokens (the tokens before
    /// each in muted type), each with a bar and its activation.
    /// Bars share one scale across the cards: `barTop` is the longest.
    static func neuronCard(_ n: NeuronFigureData.Neuron, frame: Rect, barTop top: Double, theme: Theme, words: Words) -> [Primitive] {
        let fs = theme.tickSize, line = fs * 1.55
        var out: [Primitive] = []
        var y = frame.minY
        for text in [words("提示上：「\(n.promptToken)」处 \(Num.fixed(n.promptPeak))", "prompt: \(Num.fixed(n.promptPeak)) at \"\(n.promptToken)\""),
                     words("训练文本中最强：", "in training text:")] {
            out.append(.text(Label(Fonts.elide(text, toWidth: frame.width, size: fs), at: Point(x: frame.minX, y: y), size: fs,
                                   color: theme.muted, vertical: .top)))
            y += line
        }
        let valueW = n.top.map { Fonts.width(Num.fixed($0.activation), size: fs) }.max() ?? 0
        let textW = frame.width * 0.55, barX = frame.minX + textW + 4, barMax = max(1, frame.maxX - valueW - 3 - barX)
        for hit in n.top {
            guard y + line <= frame.maxY + 0.5 else { break }
            // The token in bold at the right of the text column; as many tokens before it as fit.
            let token = Fonts.elide(hit.token, toWidth: textW, size: fs, weight: .bold)
            let tokenW = Fonts.width(token, size: fs, weight: .bold)
            var context = hit.context
            while !context.isEmpty, Fonts.width("…" + context.joined(), size: fs) > textW - tokenW - 2 { context.removeFirst() }
            let right = frame.minX + textW
            out.append(.text(Label(token, at: Point(x: right, y: y + line / 2), size: fs, weight: .bold, color: theme.foreground,
                                   horizontal: .trailing, vertical: .middle)))
            if !context.isEmpty {
                out.append(.text(Label("…" + context.joined(), at: Point(x: right - tokenW - 1, y: y + line / 2), size: fs, color: theme.muted,
                                       horizontal: .trailing, vertical: .middle)))
            }
            let w = barMax * max(0, hit.activation) / max(top, 1e-9)
            out.append(.rect(Rect(x: barX, y: y + line * 0.2, width: max(1, w), height: line * 0.6), fill: theme.highlight.withAlpha(0.75)))
            out.append(.text(Label(Num.fixed(hit.activation), at: Point(x: barX + w + 3, y: y + line / 2), size: fs, color: theme.foreground,
                                   vertical: .middle)))
            y += line
        }
        return out
    }
}

extension StageRenderer {
    /// The block the figure shows when no `layer` is given: the middle one (1 of 4), past the
    /// first block's token lookup but before the last block's next-token work.
    var defaultNeuronLayer: Int { max(0, (config.layers - 1) / 2) }

    func mlpActivationsFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        StageFigures.mlpActivations(try neuronFigureData(request, p), theme: theme, words: words)
    }

    /// What the figure draws: block `layer`'s GELU outputs on the prompt, its `neurons`
    /// strongest neurons there and, for each, the 4 training tokens that drive it highest.
    func neuronFigureData(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> NeuronFigureData {
        let ids = try promptIDs(request)
        let layer = try p.int("layer", default: defaultNeuronLayer, in: 0...(config.layers - 1))
        let k = try p.int("neurons", default: 6, in: 1...8)
        let mlp = MLPActivations(trace: trace(ids), layer: layer)
        let scan = try neuronScan(layer: layer)
        let shown = labels(ids)
        let neurons = mlp.strongest(k).map { peak in
            NeuronFigureData.Neuron(index: peak.neuron, promptPeak: Double(peak.activation), promptToken: shown[peak.position],
                                    top: scan.top[peak.neuron].prefix(4).map { hit in
                                        (context: labels(Array(scan.context(hit, before: 3).dropLast())), token: bundle.tokenizer.displayText(hit.id),
                                         activation: Double(hit.activation))
                                    })
        }
        let activations = (0..<mlp.positions).map { t in (0..<mlp.neurons).map { Double(mlp.value(position: t, neuron: $0)) } }
        return NeuronFigureData(layer: layer, width: config.width, tokens: shown, activations: activations, positiveShare: mlp.positiveShare,
                                minimum: Double(mlp.range.lowerBound), neurons: neurons, tokensScanned: scan.tokensScanned,
                                windows: scan.windows.count)
    }
}
