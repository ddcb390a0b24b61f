import TinyGPT

// Draws the input/target shift that `Trainer.run` (Sources/TinyGPT/Training/Trainer.swift, `fill`)
// builds for every training window, and what the model gives each target.

extension StageFigures {
    /// Inputs over targets shifted by one, with P(target | inputs so far) under each target.
    static func trainingWindow(inputs: [String], targets: [String], probabilities: [Double], theme: Theme,
                               words: Words) -> StageFigure
    {
        let n = inputs.count
        let page = Page(theme: theme, title: words("训练窗口：目标是下一个 token", "A training window: the target is the next token"),
                        subtitle: words("长度 \(n)：位置 t 读入 x_0…x_t，要预测 x_{t+1}；下方是模型给目标的概率",
                                        "length \(n): position t reads x_0…x_t and must predict x_{t+1}; below, the model's probability of each target"))
        let body = page.body
        let fs = theme.labelSize
        let rowH = min(44.0, body.height / 5)
        let labelW = max(Fonts.width(words("输入", "input"), size: fs, weight: .bold),
                         Fonts.width(words("目标", "target"), size: fs, weight: .bold),
                         Fonts.width("P(target)", size: fs, weight: .bold)) + theme.gap * 2
        let colW = min(96, (body.width - labelW) / Double(n))
        let y0 = body.minY + theme.gap, y1 = y0 + rowH * 2, y2 = y1 + rowH + theme.gap * 2
        var items: [Primitive] = []
        for (row, (name, y)) in [(words("输入", "input"), y0), (words("目标", "target"), y1), ("P(target)", y2)].enumerated() {
            items.append(.text(Label(name, at: Point(x: body.minX, y: y + rowH / 2), size: fs, weight: .bold,
                                     color: row == 1 ? theme.highlight : theme.foreground, vertical: .middle)))
        }
        let barMax = body.maxY - y2 - rowH * 0.2 - fs * 1.6
        for t in 0..<n {
            let x = body.minX + labelW + Double(t) * colW
            let a = Rect(x: x + 3, y: y0, width: colW - 6, height: rowH)
            let b = Rect(x: x + 3, y: y1, width: colW - 6, height: rowH)
            for (r, text, emphasis) in [(a, inputs[t], false), (b, targets[t], true)] {
                items.append(.rect(r, fill: emphasis ? theme.highlight.withAlpha(0.14).over(theme.background) : theme.panel,
                                   stroke: Stroke(color: emphasis ? theme.highlight : theme.grid, width: 1), cornerRadius: 4))
                items.append(.text(Label(Fonts.elide(text, toWidth: r.width - 6, size: fs), at: r.center, size: fs,
                                         color: theme.foreground, horizontal: .center, vertical: .middle)))
            }
            items.append(.text(Label("t=\(t)", at: Point(x: a.midX, y: y0 + rowH + 2), size: theme.tickSize,
                                     color: theme.muted, horizontal: .center, vertical: .top)))
            // The arrow from input t to target t: "predicts".
            let top = Point(x: a.midX, y: y0 + rowH + theme.tickSize * 1.5), tip = Point(x: b.midX, y: y1 - 2)
            items.append(.path(.line(from: top, to: Point(x: tip.x, y: tip.y - 5)), stroke: Stroke(color: theme.muted, width: 1.2)))
            items.append(.path(.polygon([tip, Point(x: tip.x - 3.5, y: tip.y - 6), Point(x: tip.x + 3.5, y: tip.y - 6)]), fill: theme.muted))
            // Probability bar, 0…1 over barMax points.
            let h = max(0.5, probabilities[t] * barMax)
            let base = y2 + barMax
            items.append(.rect(Rect(x: x + colW * 0.25, y: base - h, width: colW * 0.5, height: h), fill: theme.seriesColor(0)))
            items.append(.path(.line(from: Point(x: x + 2, y: base), to: Point(x: x + colW - 2, y: base)),
                               stroke: Stroke(color: theme.muted, width: 0.75)))
            let s = Num.percent(probabilities[t], digits: 0)
            if Fonts.width(s, size: theme.tickSize) <= colW - 2 {
                items.append(.text(Label(s, at: Point(x: x + colW / 2, y: base + 2), size: theme.tickSize,
                                         color: theme.foreground, horizontal: .center, vertical: .top)))
            }
        }
        let mean = probabilities.map { -log(max($0, 1e-12)) }.reduce(0, +) / Double(max(1, n))
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        let caption = words(
            "窗口的 \(n) 个位置同时训练：每个输入位置的目标都是它右边的 token。模型对目标「\(targets[best])」最有把握（\(Num.percent(probabilities[best]))）；这个窗口的平均交叉熵是 \(Num.fixed(mean, 3))。",
            "All \(n) positions of the window train at once: each input's target is the token to its right. The model is surest of \"\(targets[best])\" (\(Num.percent(probabilities[best]))); the window's mean cross-entropy is \(Num.fixed(mean, 3)).")
        let alt = words("两行方框：输入 ", "Two rows of boxes: inputs ") + inputs.joined(separator: " ")
            + words("；目标 ", "; targets ") + targets.joined(separator: " ")
        return StageFigure(.trainingWindow, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    /// The window to train on: the request's, else the prompt's tokens (at least two).
    func window(_ request: StageRequest, stage: FigureStage) throws(UserError) -> [Int] {
        let w: [Int]
        if let given = request.window {
            guard given.allSatisfy({ (0..<config.vocabSize).contains($0) }) else {
                throw UserError("stage \(stage.rawValue): window token ids must be in 0..<\(config.vocabSize)")
            }
            w = Array(given.prefix(config.contextLength + 1))
        } else {
            let ids = try promptIDs(request)
            // Training documents start after <|endoftext|>, so a one-token prompt still has a target.
            w = ids.count == 1 ? [bundle.tokenizer.endOfTextID] + ids : ids
        }
        guard w.count >= 2 else {
            throw UserError("stage \(stage.rawValue) needs at least 2 tokens (an input and its target); the prompt \"\(request.prompt)\" is \(w.count) token")
        }
        return w
    }

    /// P(w[t+1] | w[0…t]) for every t, from one forward pass over the inputs.
    func targetProbabilities(_ w: [Int]) -> [Double] {
        let inputs = Array(w.dropLast()), probs = trace(inputs)[TraceName.probs]!
        return (0..<inputs.count).map { Double(probs.row($0)[probs.row($0).startIndex + w[$0 + 1]]) }
    }

    func trainingWindowFigure(_ request: StageRequest, _ p: StageParameters) throws(UserError) -> StageFigure {
        let length = try p.int("length", default: 8, in: 1...config.contextLength)
        let w = Array(try window(request, stage: .trainingWindow).prefix(length + 1))
        let names = labels(w)
        return StageFigures.trainingWindow(inputs: Array(names.dropLast()), targets: Array(names.dropFirst()),
                                           probabilities: targetProbabilities(w), theme: theme, words: words)
    }
}

import Foundation
