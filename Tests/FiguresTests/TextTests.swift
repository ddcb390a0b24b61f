import Foundation
import Testing
@testable import Figures

@Suite struct TextTests {
    @Test func cjkFontIsInstalled() throws {
        try Fonts.check()
    }

    @Test func missingFontNamesThePackage() {
        #expect {
            try Fonts.check(family: "No Such Font Family 7f3a")
        } throws: { error in
            guard let e = error as? FigureError, case .missingFont(let family, _, let package) = e else { return false }
            return family == "No Such Font Family 7f3a" && package == "fonts-noto-cjk"
                && e.description.contains("apt-get install fonts-noto-cjk")
        }
    }

    @Test func fontWithoutChineseIsRejected() {
        // A sample no font covers (a private-use code point) must fail the coverage check.
        #expect(throws: FigureError.self) { try Fonts.check(sample: "\u{F8FF}\u{10FFFD}") }
    }

    @Test func measurementIsDeterministicAndScalesLinearly() {
        let a = Fonts.measure("注意力 attention", size: 10), b = Fonts.measure("注意力 attention", size: 10)
        #expect(a == b)
        #expect(a.advance > 50)
        let big = Fonts.measure("注意力 attention", size: 20)
        #expect(abs(big.advance - 2 * a.advance) < 0.01)
        #expect(Fonts.measure("中", size: 10).advance == 10)  // ideographs are one em wide
    }

    @Test func elideFitsAndKeepsShortText() {
        #expect(Fonts.elide("cat", toWidth: 100, size: 10) == "cat")
        let s = Fonts.elide("一个非常非常长的中文标签", toWidth: 40, size: 10)
        #expect(s.hasSuffix("…"))
        #expect(Fonts.width(s, size: 10) <= 40)
        #expect(Fonts.elide("abc", toWidth: 1, size: 10) == "")
    }

    @Test func numberFormats() {
        #expect(NumberFormat.short(0.1234) == "0.12")
        #expect(NumberFormat.short(-3) == "−3")
        #expect(NumberFormat.short(12.34) == "12")
        #expect(NumberFormat.short(0.00042) == "4.2e−4")
        #expect(NumberFormat.short(-.infinity) == "−∞")
        #expect(NumberFormat.short(.nan) == "")
        #expect(NumberFormat.tick(0.1, step: 0.05) == "0.10")
    }

    @Test func visibleWhitespace() {
        #expect(TokenText.display(" the") == "␣the")
        #expect(TokenText.display("\n") == "\\n")
    }
}
