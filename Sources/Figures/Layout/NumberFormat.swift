import Foundation

/// Short, deterministic number labels with a true minus sign (U+2212) and "−∞"/"∞".
///
/// ```swift
/// NumberFormat.short(0.1234)     // "0.12"
/// NumberFormat.short(-3.0)       // "−3"
/// NumberFormat.short(0.00042)    // "4.2e−4"
/// NumberFormat.short(-.infinity) // "−∞"
/// ```
public enum NumberFormat {
    /// At most `digits` significant digits, trailing zeros removed.
    public static func short(_ v: Double, digits: Int = 2) -> String {
        if v.isNaN { return "" }
        if v == .infinity { return "∞" }
        if v == -.infinity { return "−∞" }
        if v == 0 { return "0" }
        let a = abs(v)
        var s: String
        if a >= 1e5 || a < 1e-3 {
            let e = Int(floor(log10(a)))
            var m = a / pow(10, Double(e))
            var exp = e
            m = (m * pow(10, Double(digits - 1))).rounded() / pow(10, Double(digits - 1))
            if m >= 10 { m /= 10; exp += 1 }
            s = trim(String(format: "%.\(max(0, digits - 1))f", m)) + "e" + (exp < 0 ? "−" : "") + String(abs(exp))
        } else {
            let intDigits = Int(floor(log10(a))) + 1
            let decimals = max(0, digits - intDigits)
            s = trim(String(format: "%.\(decimals)f", a))
        }
        if s == "0" { return "0" }
        return (v < 0 ? "−" : "") + s
    }

    /// A tick label: enough decimals for `step`, so 0.05-steps read 0.05, 0.10, … .
    public static func tick(_ v: Double, step: Double) -> String {
        if abs(v) < step * 1e-6 { return "0" }
        let a = abs(v)
        if a >= 1e5 || (a < 1e-3 && a > 0) { return short(v) }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let s = String(format: "%.\(decimals)f", a)
        return (v < 0 ? "−" : "") + s
    }

    private static func trim(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.last == "0" { t = t.dropLast() }
        if t.last == "." { t = t.dropLast() }
        return String(t)
    }
}
