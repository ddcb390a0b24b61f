import Foundation

/// Makes cairo's SVG independent of what the process rendered before, and accessible.
///
/// cairo numbers `glyphN-M`, `surfaceN`, `clipN`, … from process-global counters, so the same
/// drawing rendered second gets other ids. We renumber every id (and its `#ref`) in order of
/// first appearance, then put `<title>`, `<desc>` and (when given) `<metadata>` right after the
/// root element. All three are escaped text, so a prompt such as `</metadata><script>` stays text.
enum SVGPostProcessor {
    static func process(_ svg: String, title: String, description: String, metadata: (id: String, text: String)? = nil) -> String {
        String(decoding: process(Array(svg.utf8), title: title, description: description, metadata: metadata), as: UTF8.self)
    }

    /// The same on the raw bytes cairo wrote: one pass, no String indexing (the regex version
    /// measured a quarter of an SVG's time).
    static func process(_ svg: [UInt8], title: String, description: String, metadata: (id: String, text: String)? = nil) -> [UInt8] {
        var text = renumber(svg)
        if let rootStart = find(Array("<svg".utf8), in: text, from: 0), let rootEnd = text[rootStart...].firstIndex(of: UInt8(ascii: ">")) {
            var insert = "\n<title>\(escape(title))</title>\n<desc>\(escape(description))</desc>"
            if let metadata { insert += "\n<metadata id=\"\(escape(metadata.id))\">\(escape(metadata.text))</metadata>" }
            text.insert(contentsOf: Array(insert.utf8), at: rootEnd + 1)
        }
        return text
    }

    private static let kinds = ["glyph", "surface", "clip", "pattern", "mask", "image", "source", "linear", "radial", "filter"]
        .map { Array($0.utf8) }

    /// `id="glyph3-5"` → `id="glyph0-5"` etc.; the glyph's second number is per font subset and
    /// already deterministic, the first is the global font counter. References (`#clip7`) are
    /// renumbered with the same map as ids, in order of first appearance.
    private static func renumber(_ svg: [UInt8]) -> [UInt8] {
        var maps = [[UInt64: Int]](repeating: [:], count: kinds.count)
        var out: [UInt8] = []
        out.reserveCapacity(svg.count)
        let n = svg.count
        var i = 0
        let quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#")
        while i < n {
            let c = svg[i]
            // A prefix is `id="` or `#`.
            var p = -1
            if c == hash { p = i + 1 } else if c == UInt8(ascii: "i"), i + 3 < n, svg[i + 1] == UInt8(ascii: "d"), svg[i + 2] == UInt8(ascii: "="), svg[i + 3] == quote { p = i + 4 }
            if p > 0, p < n, let k = kinds.firstIndex(where: { kind in p + kind.count < n && svg[p..<(p + kind.count)].elementsEqual(kind) }) {
                var q = p + kinds[k].count, number: UInt64 = 0, digits = 0
                while q < n, svg[q] >= 48, svg[q] <= 57, digits < 18 { number = number * 10 + UInt64(svg[q] - 48); q += 1; digits += 1 }
                if digits > 0 {
                    let new = maps[k][number] ?? maps[k].count
                    maps[k][number] = new
                    out.append(contentsOf: svg[i..<p])
                    out.append(contentsOf: kinds[k])
                    out.append(contentsOf: Array(String(new).utf8))
                    i = q
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The text of `<metadata id="ID">…</metadata>` as written by `process`, unescaped; `nil`
    /// when there is none.
    static func metadata(id: String, in svg: String) -> String? {
        let open = "<metadata id=\"\(escape(id))\">"
        guard let start = svg.range(of: open), let end = svg.range(of: "</metadata>", range: start.upperBound..<svg.endIndex) else { return nil }
        return unescape(String(svg[start.upperBound..<end.lowerBound]))
    }

    /// The inverse of `escape` (`&amp;` last, so `&amp;lt;` becomes `&lt;`).
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
