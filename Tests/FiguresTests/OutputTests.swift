import Foundation
import Testing
@testable import Figures
#if canImport(FoundationXML)
import FoundationXML
#endif

/// SVG structure and byte-identical output.
@Suite struct OutputTests {
    /// Records the root element's attributes and the names of its first two children.
    final class SVGProbe: NSObject, XMLParserDelegate {
        var rootAttributes: [String: String] = [:]
        var childrenOfRoot: [String] = []
        var texts: [String: String] = [:]
        private var depth = 0
        private var current: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            if depth == 0 { rootAttributes = attributes }
            if depth == 1 { childrenOfRoot.append(name); current = name }
            depth += 1
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            if depth == 1 { current = nil }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let current, depth == 2 { texts[current, default: ""] += string }
        }
    }

    @Test(arguments: ["heatmap", "beam-tree", "small-multiples"])
    func svgIsWellFormedWithViewBoxTitleAndDesc(name: String) throws {
        let drawing = try #require(Fixtures.named(name))
        let probe = SVGProbe()
        let parser = XMLParser(data: try drawing.svg())
        parser.delegate = probe
        #expect(parser.parse(), "SVG does not parse: \(String(describing: parser.parserError))")
        #expect(probe.rootAttributes["viewBox"] == "0 0 \(Int(drawing.size.width)) \(Int(drawing.size.height))")
        #expect(Array(probe.childrenOfRoot.prefix(2)) == ["title", "desc"])
        #expect(probe.texts["title"] == drawing.title)
        #expect(probe.texts["desc"] == drawing.description)
    }

    @Test func titleAndDescAreEscaped() throws {
        let d = Drawing(size: Size(width: 10, height: 10), title: "a < b & \"c\"", description: "x > y")
        let probe = SVGProbe()
        let parser = XMLParser(data: try d.svg())
        parser.delegate = probe
        #expect(parser.parse())
        #expect(probe.texts["title"] == "a < b & \"c\"")
    }

    /// Same drawing → same bytes, even when other drawings (other fonts, glyphs, sizes) were
    /// rendered in between: cairo's SVG ids come from process-global counters.
    @Test func rendersAreByteIdenticalWithOtherRendersInBetween() throws {
        let a = Fixtures.heatmap()
        let png1 = try a.png(scale: 2), svg1 = try a.svg(), pdf1 = try a.pdf()
        for (_, make) in Fixtures.all { _ = try make(.dark).svg(); _ = try make(.print).pdf() }
        _ = try Fixtures.chineseHeatmap(8).svg()
        #expect(try a.png(scale: 2) == png1)
        #expect(try a.svg() == svg1)
        #expect(try a.pdf() == pdf1)
    }

    @Test func pngScaleSetsPixelSize() throws {
        let d = Fixtures.vectorStrip()
        let one = try Bitmap(png: d.png(scale: 1)), two = try Bitmap(png: d.png(scale: 2))
        #expect(one.width == 480 && one.height == 80)
        #expect(two.width == 960 && two.height == 160)
    }

    @Test func pdfHasFixedDatesAndTitle() throws {
        let text = String(decoding: try Fixtures.heatmap().pdf(), as: UTF8.self)
        #expect(text.contains("/CreationDate (20000101000000Z)"))
        #expect(text.contains("Masked attention scores"))
    }

    @Test func backgroundIsPainted() throws {
        let d = Drawing(size: Size(width: 4, height: 4), title: "", description: "", background: Color(hex: 0x102030))
        #expect(try Bitmap(png: d.png()).pixel(x: 1, y: 1) == 0xFF10_2030)
    }
}
