import Foundation

/// How data values map to positions along an axis.
///
/// ```swift
/// LineChart(series: losses, yScale: .log)
/// ```
public enum AxisScale: Hashable, Sendable {
    case linear
    /// Base-10 logarithmic; only positive values are drawn.
    case log
}

/// A resolved axis: domain, ticks and the map from value to pixel.
struct Axis {
    var scale: AxisScale
    var lo: Double
    var hi: Double
    var ticks: [Double]
    var step: Double

    /// `padding` widens a linear data range by that fraction on each side (scatter dots off the frame).
    init(values: [Double], scale: AxisScale, count: Int, includeZero: Bool = false,
         extra: [Double] = [], padding: Double = 0)
    {
        self.scale = scale
        var vs = (values + extra).filter { $0.isFinite && (scale == .linear || $0 > 0) }
        if includeZero && scale == .linear { vs.append(0) }
        var a = vs.min() ?? (scale == .log ? 1 : 0), b = vs.max() ?? (scale == .log ? 10 : 1)
        if scale == .linear && padding > 0 { (a, b) = (a - (b - a) * padding, b + (b - a) * padding) }
        switch scale {
        case .linear:
            ticks = NiceTicks.linear(a, b, count: count)
            step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        case .log:
            ticks = NiceTicks.log(a, b)
            step = 1
        }
        lo = ticks.first!
        hi = ticks.last!
    }

    /// 0…1 position of `v` in the domain.
    func fraction(_ v: Double) -> Double {
        switch scale {
        case .linear: return (v - lo) / (hi - lo)
        case .log: return (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
        }
    }

    func label(_ v: Double) -> String {
        switch scale {
        case .linear: return NumberFormat.tick(v, step: step)
        case .log:
            let e = Int(floor(log10(v) + 1e-9))
            let mantissa = (v / pow(10, Double(e))).rounded()
            if (-2...3).contains(e) { return NumberFormat.short(v, digits: 1) }
            // Parameter counts read better as 20k, 1M than as 2×1e4 (the font has no superscripts).
            if (4...5).contains(e) { return NumberFormat.short(v / 1e3, digits: 1) + "k" }
            if (6...8).contains(e) { return NumberFormat.short(v / 1e6, digits: 1) + "M" }
            return (mantissa == 1 ? "" : NumberFormat.short(mantissa) + "×") + "1e" + (e < 0 ? "−" : "") + String(abs(e))
        }
    }
}
