import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TinyGPT
@testable import Figures

@Suite struct ProvenanceTests {
    /// FIPS 180-4's examples, and the model file against the system's `sha256sum`.
    @Test func sha256MatchesKnownDigests() throws {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // 55 and 56 bytes: the padding fits in one block, then needs a second.
        #expect(SHA256.hex(Data(repeating: 0x61, count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        let tool = URL(fileURLWithPath: "/usr/bin/sha256sum")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else { return }
        let p = Process(), out = Pipe()
        p.executableURL = tool
        p.arguments = [Shipped.modelDirectory.appendingPathComponent("model.safetensors").path]
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(try Shipped.bundle.modelSHA256() == String(text.prefix(64)))
    }

    static let hostile = Provenance(modelSHA256: String(repeating: "ab", count: 32), prompt: "</metadata><script>alert(1)</script>&amp; \"引号\"",
                                    stage: .attentionScores, figure: "attentionScores", parameters: ["layer": "1"],
                                    options: GenerationOptions(strategy: .sample, temperature: 0.8, maxTokens: 3, seed: 2),
                                    theme: "dark", language: .en, scale: 2)

    /// The PNG keeps its pixels, carries the record in an `iTXt` chunk that libpng (through
    /// cairo) accepts, and gives the record back unchanged.
    @Test func pngCarriesTheRecord() throws {
        let d = try Shipped.renderer().render(StageRequest(stage: .maskMatrix, prompt: Shipped.typical))[0].drawing
        let plain = try d.png(scale: 1), tagged = try d.png(scale: 1, metadata: Self.hostile.json)
        #expect(try Bitmap(png: plain) == Bitmap(png: tagged))
        #expect(tagged.count > plain.count)
        #expect(try Provenance.read(tagged, file: "x.png") == Self.hostile)
        #expect(tagged.range(of: Data("iTXtgptx-provenance".utf8)) != nil)
        // A flipped byte inside the record breaks its CRC: no record, rather than a wrong one.
        var broken = tagged
        let at = broken.range(of: Data("dark".utf8))!.lowerBound
        broken[at] = UInt8(ascii: "D")
        #expect(throws: UserError.self) { try Provenance.read(broken, file: "x.png") }
        #expect(throws: UserError.self) { try Provenance.read(plain, file: "x.png") }
    }

    /// In SVG the record is text inside `<metadata>`: a prompt with markup stays text, the file
    /// parses, and no element the prompt names appears.
    @Test func svgEscapesTheRecord() throws {
        let d = try Shipped.renderer().render(StageRequest(stage: .maskMatrix, prompt: Shipped.typical))[0].drawing
        let svg = try d.svg(metadata: Self.hostile.json)
        final class Elements: NSObject, XMLParserDelegate {
            var names: [String] = []
            var metadata = ""
            var inMetadata = false
            func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String]) { names.append(name); inMetadata = name == "metadata" }
            func parser(_ p: XMLParser, foundCharacters s: String) { if inMetadata { metadata += s } }
            func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { inMetadata = false }
        }
        let parser = XMLParser(data: svg), e = Elements()
        parser.delegate = e
        #expect(parser.parse())
        #expect(!e.names.contains("script") && e.names.filter { $0 == "metadata" }.count == 1)
        #expect(e.metadata == Self.hostile.json)
        #expect(try Provenance.read(svg, file: "x.svg") == Self.hostile)
        #expect(throws: UserError.self) { try Provenance.read(try d.svg(), file: "x.svg") }
        #expect(throws: UserError.self) { try Provenance.read(try d.svg(metadata: "{not json"), file: "x.svg") }
        // Without a record the SVG is what it was before provenance existed.
        #expect(try d.svg() == d.svg(metadata: nil))
    }
}
