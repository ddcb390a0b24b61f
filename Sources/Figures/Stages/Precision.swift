import TinyGPT

// Draws what storing the model's real FP32 weights (`GPT.parameters`) in 16-bit formats costs:
// the rounding is implemented bit for bit here, round to nearest, ties to even.

/// Float32 → 16-bit float rounding, on the bit patterns.
enum HalfPrecision {
    /// x rounded to IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits) and widened back;
    /// overflow gives ±∞, tiny values become binary16 subnormals or ±0.
    static func fp16(_ x: Float) -> Float {
        let bits = x.bitPattern
        let sign = bits & 0x8000_0000
        let exp = Int((bits >> 23) & 0xFF), man = bits & 0x7F_FFFF
        if exp == 0xFF { return x }  // ∞ and NaN stay
        let e = exp - 127
        let magnitude: Float
        if e > 15 {
            magnitude = .infinity
        } else if e >= -14 {
            // Normal binary16: keep 10 of 23 mantissa bits, round to nearest even on the 13 dropped.
            var m = man >> 13
            let rest = man & 0x1FFF
            var ee = e
            if rest > 0x1000 || (rest == 0x1000 && m & 1 == 1) { m += 1 }
            if m == 0x400 { m = 0; ee += 1 }
            magnitude = ee > 15 ? .infinity : Float(sign: .plus, exponent: ee, significand: 1 + Float(m) / 1024)
        } else {
            // Subnormal binary16: multiples of 2⁻²⁴; round the full significand to that grid.
            let full = UInt64(man | (exp == 0 ? 0 : 0x80_0000))  // 24-bit significand of x / 2^(e−23)
            let shift = -14 - e + 13  // bits dropped to land on 2⁻²⁴
            guard shift < 64 else { return Float(bitPattern: sign) }
            var q = full >> UInt64(shift)
            let rest = full & ((1 << UInt64(shift)) - 1), half = UInt64(1) << UInt64(shift - 1)
            if rest > half || (rest == half && q & 1 == 1) { q += 1 }
            magnitude = Float(q) * 0x1p-24
        }
        return Float(bitPattern: magnitude.bitPattern | sign)
    }

    /// x rounded to bfloat16 (1 sign, 8 exponent, 7 mantissa bits): the upper half of the bit
    /// pattern, rounded to nearest even on the lower half. NaN stays NaN.
    static func bf16(_ x: Float) -> Float {
        guard !x.isNaN else { return x }
        let bits = x.bitPattern
        return Float(bitPattern: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000)
    }

    /// 2^−14: below it binary16 is subnormal and keeps fewer bits.
    static let fp16MinNormal: Float = 0x1p-14

    /// Mean and largest relative error |r(x) − x| / |x| over the non-zero weights.
    static func errors(_ w: [Float], _ round: (Float) -> Float) -> (mean: Double, max: Double) {
        var sum = 0.0, worst = 0.0, n = 0
        for x in w where x != 0 {
            let e = Double(abs(round(x) - x)) / Double(abs(x))
            sum += e
            worst = max(worst, e)
            n += 1
        }
        return (n == 0 ? 0 : sum / Double(n), worst)
    }
}

extension StageFigures {
    /// A few real weights in the three formats, and the mean/max relative errors over all of them.
    static func precision(samples: [(name: String, value: Float)], fp16: (mean: Double, max: Double), bf16: (mean: Double, max: Double),
                          count: Int, subnormal: Int, theme: Theme, words: Words) -> StageFigure
    {
        let page = Page(theme: theme, title: words("FP32、FP16、BF16：舍入我们的真实权重", "FP32 vs FP16 vs BF16: rounding our real weights"),
                        subtitle: words("\(Num.grouped(count)) 个权重，按位实现的就近偶数舍入；其中 \(Num.grouped(subnormal)) 个小于 FP16 的最小正规数 2^−14",
                                        "\(Num.grouped(count)) weights, rounded bit-exactly to nearest even; \(Num.grouped(subnormal)) are below FP16's smallest normal, 2^−14"))
        let panels = Panels.columns(page.body, [1.5, 1], gap: theme.gap * 3)
        func rel(_ a: Float, _ x: Float) -> Double { x == 0 ? 0 : Double(abs(a - x)) / Double(abs(x)) }
        let values = samples.map { s in [0, rel(HalfPrecision.fp16(s.value), s.value), rel(HalfPrecision.bf16(s.value), s.value)] }
        let text = samples.map { s in [s.value, HalfPrecision.fp16(s.value), HalfPrecision.bf16(s.value)].map { String(format: "%.7g", Double($0)).replacingOccurrences(of: "-", with: "−") } }
        let table = Heatmap(values: values, rowLabels: samples.map(\.name), columnLabels: ["FP32", "FP16", "BF16"],
                            coloring: .sequential(), colorBarTitle: words("相对误差", "relative error"), maximumCellSize: 120, cellLabels: text)
        var items = Titled(title: words("几个真实权重在三种格式下", "a few real weights in each format"), content: table).draw(in: panels[0], theme: theme)
        let bars = BarChart(labels: [words("FP16 平均", "FP16 mean"), words("FP16 最大", "FP16 max"), words("BF16 平均", "BF16 mean"), words("BF16 最大", "BF16 max")],
                            values: [fp16.mean, fp16.max, bf16.mean, bf16.max], valueTitle: words("相对误差", "relative error"), digits: 2)
        items += Titled(title: words("全部权重的相对误差", "relative error over all weights"), content: bars).draw(in: panels[1], theme: theme)
        let caption = words(
            "FP16 的平均相对误差是 \(NumberFormat.short(fp16.mean, digits: 2))，BF16 是 \(NumberFormat.short(bf16.mean, digits: 2))：BF16 少 3 位尾数所以更粗，但指数范围和 FP32 一样，不会下溢；FP16 有 \(Num.grouped(subnormal)) 个权重落进次正规区。",
            "FP16's mean relative error is \(NumberFormat.short(fp16.mean, digits: 2)), BF16's \(NumberFormat.short(bf16.mean, digits: 2)): BF16 keeps 3 fewer mantissa bits and is coarser, but has FP32's exponent range and never underflows; \(Num.grouped(subnormal)) weights fall into FP16's subnormal range.")
        let alt = words("表格：几个权重在 FP32、FP16、BF16 下的值；条形图：平均与最大相对误差", "Table of a few weights in FP32, FP16 and BF16; bars of the mean and largest relative errors")
        return StageFigure(.precision, page: page, caption: caption, alt: alt, items: items)
    }
}

extension StageRenderer {
    func precisionFigure() -> StageFigure {
        let w = model.parameters
        let wte = model.tensor("wte.weight")!
        var samples: [(String, Float)] = (0..<3).map { ("wte[\(Tokenizer.firstLearnedID)][\($0)]", wte[Tokenizer.firstLearnedID, $0]) }
        if let big = w.indices.max(by: { abs(w[$0]) < abs(w[$1]) }) { samples.append((words("最大的权重", "largest weight"), w[big])) }
        let nonzero = w.indices.filter { w[$0] != 0 }
        if let small = nonzero.min(by: { abs(w[$0]) < abs(w[$1]) }) { samples.append((words("最小的非零权重", "smallest non-zero"), w[small])) }
        let subnormal = w.filter { $0 != 0 && abs($0) < HalfPrecision.fp16MinNormal }.count
        return StageFigures.precision(samples: samples.map { (name: $0.0, value: $0.1) }, fp16: HalfPrecision.errors(w, HalfPrecision.fp16),
                                      bf16: HalfPrecision.errors(w, HalfPrecision.bf16), count: w.count, subnormal: subnormal,
                                      theme: theme, words: words)
    }
}

import Foundation
