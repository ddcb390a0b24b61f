import Foundation

/// Makes cairo's SVG independent of what the process rendered before, and accessible.
///
/// cairo numbers `glyphN-M`, `surfaceN`, `clipN`, … from process-global counters, so the same
/// drawing rendered second gets other ids. We renumber every id (and its `#ref`) in order of
/// first appearance, then put `<title>` and `<desc>` right after the root element.
enum SVGPostProcessor {
    static func process(_ svg: String, title: String, description: String) -> String {
        var text = renumber(svg)
        if let rootStart = text.range(of: "<svg"),
           let rootEnd = text.range(of: ">", range: rootStart.upperBound..<text.endIndex)
        {
            let insert = "\n<title>\(escape(title))</title>\n<desc>\(escape(description))</desc>"
            text.insert(contentsOf: insert, at: rootEnd.upperBound)
        }
        return text
    }

    /// `id="glyph3-5"` → `id="glyph0-1"` etc.; the glyph's second number is per font subset and
    /// already deterministic, the first is the global font counter.
    private static func renumber(_ svg: String) -> String {
        let regex = try! NSRegularExpression(
            pattern: #"(id="|#)(glyph|surface|clip|pattern|mask|image|source|linear|radial|filter)(\d+)"#)
        let ns = svg as NSString
        var maps: [String: [String: Int]] = [:]
        var out = ""
        out.reserveCapacity(svg.utf8.count)
        var last = 0
        for m in regex.matches(in: svg, range: NSRange(location: 0, length: ns.length)) {
            let prefix = ns.substring(with: m.range(at: 1))
            let kind = ns.substring(with: m.range(at: 2))
            let number = ns.substring(with: m.range(at: 3))
            var map = maps[kind, default: [:]]
            let new = map[number] ?? map.count
            map[number] = new
            maps[kind] = map
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            out += prefix + kind + String(new)
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
